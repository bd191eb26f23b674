// The project's own macro (a header of the project, included with -I): a
// handler it writes is the project's and stays reported.
#ifndef PROJECT_RETRY_H
#define PROJECT_RETRY_H

void project_log(const char *);

#define PROJECT_LOG_ERRORS(...)                                                \
  try {                                                                        \
    __VA_ARGS__;                                                               \
  } catch (...) {                                                              \
    project_log("failed; retrying");                                           \
  }

#endif // PROJECT_RETRY_H
