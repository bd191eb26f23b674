#include <chrono>
#include <thread>

void worker() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }
