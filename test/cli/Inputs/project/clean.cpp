#include "job.h"

int add(int a, int b) { return a + b; }

job idle() { co_return; }
