//===- Descriptors.h - where a file descriptor comes from -------*- C++ -*-===//
//
// `read`, `write`, `accept` and their kin block only on a descriptor that
// is in blocking mode. A descriptor created non-blocking (`SOCK_NONBLOCK`,
// `EFD_NONBLOCK`, `pipe2(fds, O_NONBLOCK)`), switched to it (`fcntl(fd,
// F_SETFL, ... | O_NONBLOCK)`, `ioctl(fd, FIONBIO, ...)`, directly or by a
// helper the descriptor is passed to), or an eventfd that is written to,
// does not stall the thread. The origin is looked for where the program
// shows it: the function, for a local; the class's member functions, for a
// member.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_ANALYSIS_DESCRIPTORS_H
#define COROLINT_CHECKS_ANALYSIS_DESCRIPTORS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"

namespace corolint::analysis {

/// The variable or member \p E names directly (`x`, `obj.m`), or null.
const clang::ValueDecl *referencedDecl(const clang::Expr *E);

/// True if \p S, or a statement in it, refers to one of \p Decls (a
/// variable or a member).
bool mentionsAny(const clang::Stmt *S, llvm::ArrayRef<const clang::ValueDecl *> Decls);

/// The variable or member an fd expression comes from: `fd`, `this->fd_`,
/// `fds[0]`, `socket` of `socket.native_handle()`, or `m_fds` of
/// `write_fd()`, an accessor whose body returns `m_fds[1]`.
const clang::ValueDecl *descriptorRoot(const clang::Expr *E);

class DescriptorOrigins {
public:
  explicit DescriptorOrigins(const clang::ASTContext &Ctx) : Ctx(Ctx) {}

  /// True if the descriptor held in \p Fd, used by a call in \p Within, is
  /// non-blocking as the program shows it, or is an eventfd and \p IsWrite.
  bool isNonBlocking(const clang::ValueDecl &Fd, const clang::FunctionDecl &Within,
                     bool IsWrite);

  const clang::ASTContext &context() const { return Ctx; }

private:
  struct Origin {
    bool NonBlocking = false;
    bool EventCounter = false;
  };
  Origin originOf(const clang::ValueDecl &Fd, const clang::FunctionDecl &Within);
  /// True if \p FD sets its parameter \p Param non-blocking (memoised).
  bool setsNonBlocking(const clang::FunctionDecl &FD, unsigned Param,
                       unsigned Depth);
  void scan(const clang::Stmt *S, const clang::ValueDecl &Fd, Origin &Out,
            unsigned Depth);
  void scanCreation(const clang::Expr *E, Origin &Out);
  bool mentionsNonBlock(const clang::Expr *Arg) const;

  const clang::ASTContext &Ctx;
  /// The body being scanned, where a flags variable is looked up.
  const clang::Stmt *ScanRoot = nullptr;
  llvm::DenseMap<const clang::ValueDecl *, Origin> Members;
  llvm::DenseMap<std::pair<const clang::FunctionDecl *, unsigned>, bool> Setters;
};

} // namespace corolint::analysis

#endif // COROLINT_CHECKS_ANALYSIS_DESCRIPTORS_H
