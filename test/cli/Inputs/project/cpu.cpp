#include "job.h"

job checksum(const unsigned char *data, unsigned &out) {
  unsigned sum = 0;
  for (int i = 0; i < 10000000; ++i)
    sum = sum * 31 + data[i % 64];
  out = sum;
  co_return;
}
