// The clock of the loop's timers and of every deadline, and conversions of
// durations and time points of any clock to its deadlines.
#ifndef AIO_DETAIL_CLOCK_HPP
#define AIO_DETAIL_CLOCK_HPP

#include <chrono>
#include <type_traits>

namespace aio {

namespace detail {

using steady_clock = std::chrono::steady_clock;

// Converts "d from now" to a steady deadline, rounding up, saturating at
// time_point::max() and treating negative durations as zero.
template <class Rep, class Period>
steady_clock::time_point deadline_after(steady_clock::time_point now,
                                        std::chrono::duration<Rep, Period> d) {
  using long_seconds = std::chrono::duration<long double>;
  if (d <= std::chrono::duration<Rep, Period>::zero())
    return now;
  if (long_seconds(d) >= long_seconds(steady_clock::time_point::max() - now))
    return steady_clock::time_point::max();
  return now + std::chrono::ceil<steady_clock::duration>(d);
}

// Converts a time point of any clock to a steady deadline. Other clocks
// (system_clock, ...) are mapped through the distance from their now().
template <class Clock, class Duration>
steady_clock::time_point
to_steady_deadline(std::chrono::time_point<Clock, Duration> when) {
  if constexpr (std::is_same_v<Clock, steady_clock>)
    return std::chrono::ceil<steady_clock::duration>(when);
  else
    return deadline_after(steady_clock::now(), when - Clock::now());
}

} // namespace detail

} // namespace aio

#endif // AIO_DETAIL_CLOCK_HPP
