//===- BlockingApis.cpp - the catalog of APIs that block a thread ---------===//

#include "checks/catalog/BlockingApis.h"

namespace corolint::catalog {

namespace {

constexpr BlockingApi Apis[] = {
#define FUNCTION(NAME, CAT, FIX, COND, ARG)                                    \
  {ApiKind::Function, NAME,           "",      Category::CAT,                  \
   FixKind::FIX,      Condition::COND, ARG},
#define METHOD(CLASS, NAME, CAT, FIX, COND)                                    \
  {ApiKind::Method, NAME, CLASS, Category::CAT, FixKind::FIX, Condition::COND, 0},
#define CONSTRUCTOR(CLASS, CAT, FIX, COND)                                     \
  {ApiKind::Constructor, "",           CLASS, Category::CAT,                   \
   FixKind::FIX,         Condition::COND, 0},
#include "checks/catalog/BlockingApis.def"
};

struct CategoryInfo {
  Category Cat;
  llvm::StringRef Name;
  llvm::StringRef Description;
  bool OnByDefault;
};

constexpr CategoryInfo Categories[] = {
    {Category::Sleep, "sleep", "", true},
    {Category::Stdin, "stdin", "standard input", true},
    {Category::File, "file", "file I/O", true},
    {Category::Network, "network", "network I/O", true},
    {Category::Http, "http", "HTTP request", true},
    {Category::Database, "database", "database query", true},
    {Category::Process, "process", "subprocess", true},
    {Category::ThreadWait, "thread-wait", "waits for another thread", true},
    {Category::SyncWait, "sync-wait", "", true},
    {Category::Lock, "lock", "takes a lock", false},
    {Category::Logging, "logging", "logging", false},
    {Category::Annotated, "annotated", "annotated as blocking", true},
    {Category::User, "user", "listed in BlockingFunctions", true},
    {Category::Cpu, "cpu", "CPU-heavy", false},
};

const CategoryInfo &info(Category Cat) {
  for (const CategoryInfo &I : Categories)
    if (I.Cat == Cat)
      return I;
  return Categories[0];
}

} // namespace

llvm::ArrayRef<BlockingApi> blockingApis() { return Apis; }

llvm::StringRef categoryName(Category Cat) { return info(Cat).Name; }

llvm::StringRef categoryDescription(Category Cat) {
  return info(Cat).Description;
}

bool enabledByDefault(Category Cat) { return info(Cat).OnByDefault; }

std::optional<Category> parseCategory(llvm::StringRef Name) {
  for (const CategoryInfo &I : Categories)
    if (I.Name == Name)
      return I.Cat;
  return std::nullopt;
}

std::string categoryNames() {
  std::string Out;
  for (const CategoryInfo &I : Categories) {
    if (!Out.empty())
      Out += ", ";
    Out += I.Name.str();
  }
  return Out;
}

} // namespace corolint::catalog
