#include "job.h"
#include <stdexcept>

void parse(int v) {
  if (v < 0)
    throw std::invalid_argument("negative");
}

job validate(int v) {
  try {
    parse(v);
  } catch (const std::invalid_argument &) {
  }
  co_return;
}
