// One coroutine that blocks: the unit the hostile-input tests analyse.
#include "job.h"
#include <unistd.h>

job handle() { sleep(1); co_return; }
