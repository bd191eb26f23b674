#include "job.h"
#include <chrono>
#include <thread>

job reconnect() {
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  co_return;
}

job poll_forever() {
  for (int i = 0; i < 3; ++i)
    std::this_thread::sleep_for(std::chrono::seconds(1));
  co_return;
}
