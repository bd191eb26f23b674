// aio against standalone asio (C++20 awaitables on a single-threaded
// io_context), metric by metric, as aio/<metric> and asio/<metric>:
//
//   yield     one resumption through the ready queue
//             (asio: co_await asio::post(executor, use_awaitable))
//   spawn     create, run and join a trivial task (asio: co_spawn)
//   timers    schedule 10k timers with deadlines in random order, fire all
//   to_thread a round trip to a thread pool and back (asio: co_spawn on an
//             asio::thread_pool, awaited from the io_context)
//   echo      TCP echo over loopback, 100 connections, 64-byte messages,
//             client and server in this process on the same loop
//
// plus aio/yield_debug (yield with debug mode on) and aio/frame (the size
// of a trivial task<void>'s coroutine frame, from a counting operator new).
// runtime/bench/bench_runtime.py runs this binary and prints the table of
// docs/runtime.md. Iteration counts are Google Benchmark's own.
#include <aio/aio.hpp>

#include <asio.hpp>
#include <benchmark/benchmark.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <vector>

// --- A counting operator new, for the coroutine frame size -----------------

namespace {
std::atomic<bool> g_recording{false};
std::atomic<std::size_t> g_last_size{0};
} // namespace

void *operator new(std::size_t size) {
  if (g_recording.load(std::memory_order_relaxed))
    g_last_size.store(size, std::memory_order_relaxed);
  if (void *p = std::malloc(size == 0 ? 1 : size))
    return p;
  throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

namespace {

constexpr int timer_count = 10000;
constexpr int echo_connections = 100;
constexpr int echo_rounds = 20; // per connection and iteration
constexpr std::size_t echo_size = 64;

// --- yield ------------------------------------------------------------------

aio::task<> aio_yield_loop(benchmark::State &state) {
  for (auto _ : state)
    co_await aio::yield();
}

void aio_yield(benchmark::State &state) {
  aio::run(aio_yield_loop(state));
  state.SetItemsProcessed(state.iterations());
}

void aio_yield_debug(benchmark::State &state) {
  aio::run(aio_yield_loop(state), {.debug = true, .quiet = true});
  state.SetItemsProcessed(state.iterations());
}

void asio_yield(benchmark::State &state) {
  asio::io_context ctx(1);
  asio::co_spawn(
      ctx,
      [&]() -> asio::awaitable<void> {
        for (auto _ : state)
          co_await asio::post(ctx.get_executor(), asio::use_awaitable);
      },
      asio::detached);
  ctx.run();
  state.SetItemsProcessed(state.iterations());
}

// --- spawn ------------------------------------------------------------------

aio::task<int> aio_trivial(int v) { co_return v + 1; }

aio::task<> aio_spawn_loop(benchmark::State &state) {
  int sum = 0;
  for (auto _ : state)
    sum += co_await aio::spawn(aio_trivial(sum));
  benchmark::DoNotOptimize(sum);
}

void aio_spawn(benchmark::State &state) {
  aio::run(aio_spawn_loop(state));
  state.SetItemsProcessed(state.iterations());
}

asio::awaitable<int> asio_trivial(int v) { co_return v + 1; }

void asio_spawn(benchmark::State &state) {
  asio::io_context ctx(1);
  asio::co_spawn(
      ctx,
      [&]() -> asio::awaitable<void> {
        int sum = 0;
        for (auto _ : state)
          sum += co_await asio::co_spawn(ctx, asio_trivial(sum),
                                         asio::use_awaitable);
        benchmark::DoNotOptimize(sum);
      },
      asio::detached);
  ctx.run();
  state.SetItemsProcessed(state.iterations());
}

// --- timers -----------------------------------------------------------------

// Deadlines spread over the last second, shuffled: all are due, and the
// loop fires them in deadline order.
std::vector<std::chrono::microseconds> shuffled_offsets() {
  std::vector<std::chrono::microseconds> offsets;
  for (int i = 0; i < timer_count; ++i)
    offsets.emplace_back(1 + i * 97 % 1000000);
  std::shuffle(offsets.begin(), offsets.end(), std::mt19937(42));
  return offsets;
}

void aio_timers(benchmark::State &state) {
  const auto offsets = shuffled_offsets();
  aio::event_loop loop;
  int fired = 0;
  for (auto _ : state) {
    const auto base = aio::event_loop::clock::now() - std::chrono::seconds(1);
    for (std::chrono::microseconds d : offsets)
      loop.call_at(base + d, [&fired] { ++fired; });
    while (loop.run_once()) {
    }
  }
  if (fired != timer_count * static_cast<int>(state.iterations()))
    state.SkipWithError("aio: timers lost");
  state.SetItemsProcessed(state.iterations() * timer_count);
}

void asio_timers(benchmark::State &state) {
  const auto offsets = shuffled_offsets();
  asio::io_context ctx(1);
  std::vector<asio::steady_timer> timers;
  timers.reserve(timer_count);
  for (int i = 0; i < timer_count; ++i)
    timers.emplace_back(ctx);
  int fired = 0;
  for (auto _ : state) {
    const auto base = asio::steady_timer::clock_type::now() -
                      std::chrono::seconds(1);
    for (int i = 0; i < timer_count; ++i) {
      timers[i].expires_at(base + offsets[i]);
      timers[i].async_wait([&fired](const asio::error_code &) { ++fired; });
    }
    ctx.restart();
    ctx.run();
  }
  if (fired != timer_count * static_cast<int>(state.iterations()))
    state.SkipWithError("asio: timers lost");
  state.SetItemsProcessed(state.iterations() * timer_count);
}

// --- to_thread --------------------------------------------------------------

aio::task<> aio_to_thread_loop(benchmark::State &state) {
  int sum = 0;
  for (auto _ : state)
    sum += co_await aio::to_thread([sum] { return sum + 1; });
  benchmark::DoNotOptimize(sum);
}

void aio_to_thread(benchmark::State &state) {
  aio::run(aio_to_thread_loop(state));
  state.SetItemsProcessed(state.iterations());
}

void asio_to_thread(benchmark::State &state) {
  asio::io_context ctx(1);
  asio::thread_pool pool(8); // as aio::io_executor()
  asio::co_spawn(
      ctx,
      [&]() -> asio::awaitable<void> {
        int sum = 0;
        for (auto _ : state)
          sum += co_await asio::co_spawn(
              pool, [sum]() -> asio::awaitable<int> { co_return sum + 1; },
              asio::use_awaitable);
        benchmark::DoNotOptimize(sum);
      },
      asio::detached);
  ctx.run();
  pool.join();
  state.SetItemsProcessed(state.iterations());
}

// --- echo -------------------------------------------------------------------

aio::task<> aio_echo_serve(aio::tcp_stream stream) {
  std::array<char, 1024> buf;
  for (;;) {
    const std::size_t n = co_await stream.read_some(buf);
    if (n == 0)
      co_return;
    co_await stream.write_all(std::string_view(buf.data(), n));
  }
}

aio::task<> aio_echo_client(aio::tcp_stream &stream) {
  std::array<char, echo_size> out{};
  std::array<char, echo_size> in;
  for (int round = 0; round < echo_rounds; ++round) {
    co_await stream.write_all(std::string_view(out.data(), out.size()));
    std::size_t got = 0;
    while (got < echo_size)
      got += co_await stream.read_some(
          std::span<char>(in.data() + got, echo_size - got));
  }
}

aio::task<> aio_echo_loop(benchmark::State &state) {
  aio::tcp_listener listener = aio::tcp_listener::bind("127.0.0.1", 0);
  std::vector<aio::tcp_stream> clients;
  std::vector<aio::join_handle<void>> servers;
  for (int i = 0; i < echo_connections; ++i) {
    clients.push_back(
        co_await aio::open_connection("127.0.0.1", listener.port()));
    servers.push_back(aio::spawn(aio_echo_serve(co_await listener.accept())));
  }
  for (auto _ : state) {
    std::vector<aio::task<>> rounds;
    for (aio::tcp_stream &c : clients)
      rounds.push_back(aio_echo_client(c));
    co_await aio::gather(std::move(rounds));
  }
  for (aio::tcp_stream &c : clients)
    c.shutdown_write();
  for (aio::join_handle<void> &s : servers)
    co_await s;
}

void aio_echo(benchmark::State &state) {
  aio::run(aio_echo_loop(state));
  state.SetItemsProcessed(state.iterations() * echo_connections * echo_rounds);
}

using asio::ip::tcp;

asio::awaitable<void> asio_echo_serve(tcp::socket socket) {
  std::array<char, 1024> buf;
  for (;;) {
    asio::error_code ec;
    const std::size_t n = co_await socket.async_read_some(
        asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
      co_return;
    co_await asio::async_write(socket, asio::buffer(buf.data(), n),
                               asio::use_awaitable);
  }
}

asio::awaitable<void> asio_echo_client(tcp::socket &socket) {
  std::array<char, echo_size> out{};
  std::array<char, echo_size> in;
  for (int round = 0; round < echo_rounds; ++round) {
    co_await asio::async_write(socket, asio::buffer(out), asio::use_awaitable);
    co_await asio::async_read(socket, asio::buffer(in), asio::use_awaitable);
  }
}

asio::awaitable<void> asio_echo_loop(asio::io_context &ctx,
                                     benchmark::State &state) {
  tcp::acceptor acceptor(ctx, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  std::vector<tcp::socket> clients;
  for (int i = 0; i < echo_connections; ++i) {
    tcp::socket client(ctx);
    co_await client.async_connect(acceptor.local_endpoint(),
                                  asio::use_awaitable);
    client.set_option(tcp::no_delay(true)); // as aio's streams
    clients.push_back(std::move(client));
    tcp::socket served = co_await acceptor.async_accept(asio::use_awaitable);
    served.set_option(tcp::no_delay(true));
    asio::co_spawn(ctx, asio_echo_serve(std::move(served)), asio::detached);
  }
  for (auto _ : state) {
    // Wait for all clients of this round (asio's gather of awaitables).
    int left = echo_connections;
    asio::steady_timer all_done(ctx, asio::steady_timer::time_point::max());
    for (tcp::socket &c : clients)
      asio::co_spawn(ctx, asio_echo_client(c), [&](std::exception_ptr e) {
        if (e)
          std::rethrow_exception(e);
        if (--left == 0)
          all_done.cancel();
      });
    asio::error_code ec;
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  for (tcp::socket &c : clients)
    c.shutdown(tcp::socket::shutdown_send);
}

void asio_echo(benchmark::State &state) {
  asio::io_context ctx(1);
  asio::co_spawn(ctx, asio_echo_loop(ctx, state), [](std::exception_ptr e) {
    if (e)
      std::rethrow_exception(e);
  });
  ctx.run();
  state.SetItemsProcessed(state.iterations() * echo_connections * echo_rounds);
}

// --- frame size -------------------------------------------------------------

aio::task<> aio_empty() { co_return; }

void aio_frame(benchmark::State &state) {
  std::size_t size = 0;
  for (auto _ : state) {
    g_recording.store(true, std::memory_order_relaxed);
    aio::task<> t = aio_empty();
    g_recording.store(false, std::memory_order_relaxed);
    benchmark::DoNotOptimize(&t);
    size = g_last_size.load(std::memory_order_relaxed);
  }
  state.counters["bytes"] = static_cast<double>(size);
}

} // namespace

BENCHMARK(aio_yield)->Name("aio/yield");
BENCHMARK(asio_yield)->Name("asio/yield");
BENCHMARK(aio_yield_debug)->Name("aio/yield_debug");
BENCHMARK(aio_spawn)->Name("aio/spawn");
BENCHMARK(asio_spawn)->Name("asio/spawn");
BENCHMARK(aio_timers)->Name("aio/timers")->Unit(benchmark::kMicrosecond);
BENCHMARK(asio_timers)->Name("asio/timers")->Unit(benchmark::kMicrosecond);
BENCHMARK(aio_to_thread)->Name("aio/to_thread")->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(asio_to_thread)->Name("asio/to_thread")->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(aio_echo)->Name("aio/echo")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(asio_echo)->Name("asio/echo")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(aio_frame)->Name("aio/frame");

BENCHMARK_MAIN();
