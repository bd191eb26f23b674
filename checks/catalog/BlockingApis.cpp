//===- BlockingApis.cpp - the catalog of APIs that block a thread ---------===//

#include "checks/catalog/BlockingApis.h"

namespace corolint::catalog {

namespace {
constexpr BlockingApi Apis[] = {
#define BLOCKING_API(NAME, CAT, FIX) {NAME, Category::CAT, FixKind::FIX},
#include "checks/catalog/BlockingApis.def"
#undef BLOCKING_API
};
} // namespace

llvm::ArrayRef<BlockingApi> blockingApis() { return Apis; }

const BlockingApi *findBlockingApi(llvm::StringRef QualifiedName) {
  QualifiedName.consume_front("::");
  for (const BlockingApi &Api : Apis) {
    llvm::StringRef Name = Api.QualifiedName;
    Name.consume_front("::");
    if (Name == QualifiedName)
      return &Api;
  }
  return nullptr;
}

llvm::StringRef categoryName(Category Cat) {
  switch (Cat) {
  case Category::Sleep:
    return "sleep";
  }
  return "unknown";
}

} // namespace corolint::catalog
