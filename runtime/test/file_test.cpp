// aio::read_file and aio::write_file.
#include <aio/file.hpp>

#include "aio_test_util.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <system_error>

#include <unistd.h>

namespace file_test {
using namespace aio_test;

aio::task<std::string> file_round_trip(std::string path, std::string data) {
  co_await aio::write_file(path, data);
  co_return co_await aio::read_file(path);
}

TEST(Io, WriteFileThenReadFileRoundTrips) {
  const std::string path = testing::TempDir() + "aio_io_test_file.bin";
  std::string data;
  for (int i = 0; i < 200000; ++i)
    data.push_back(static_cast<char>(i * 7));
  EXPECT_EQ(aio::run(file_round_trip(path, data)), data);
  EXPECT_EQ(aio::run(file_round_trip(path, "short")), "short"); // truncated
  ::unlink(path.c_str());
}

aio::task<> read_missing(std::string path) {
  try {
    std::string s = co_await aio::read_file(path);
    ADD_FAILURE() << "read a missing file";
  } catch (const std::system_error &e) {
    EXPECT_EQ(e.code().value(), ENOENT);
  }
}

TEST(Io, ReadFileOfAMissingFileThrowsNoSuchFile) {
  aio::run(read_missing(testing::TempDir() + "aio_io_test_missing/none"));
}

} // namespace file_test
