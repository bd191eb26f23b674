#include "io.h"

std::string load_everything() { return load_layered("/etc/site.conf"); }
