//===- InputFiles.h - reading the files corolint itself reads ---*- C++ -*-===//
//
// Every file corolint reads besides the sources (cache entries, baselines,
// summary files, reports given to `corolint merge`, compile databases) goes
// through readInputFile: a FIFO, a device, a socket or a directory is
// refused before it is opened (opening or reading one would hang or never
// end), and a file larger than the limit is refused before it is read.
//
// Their JSON is read through JsonField, which checks each field's type as
// it is read and names the field when it is wrong, so that a file of the
// wrong shape is one error and never an exception out of the reader.
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_CHECKS_ANALYSIS_INPUTFILES_H
#define COROLINT_CHECKS_ANALYSIS_INPUTFILES_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace corolint::analysis {

/// The default size limit of a file corolint reads: 256 MiB.
constexpr std::uint64_t DefaultInputSizeLimit = std::uint64_t(256) << 20;

/// Reads the regular file \p Path whole (read, never mapped), or returns
/// null and sets \p Error to why not, as a phrase about "it": "cannot read it: No such file or
/// directory", "it is a FIFO, not a file", "it is larger than the limit of
/// 256 MiB (...)".
std::unique_ptr<llvm::MemoryBuffer>
readInputFile(llvm::StringRef Path, std::uint64_t Limit, std::string &Error);

/// Why \p Path is no file to read: empty for a regular file (or a link to
/// one), else "it does not exist", "it is a FIFO, not a file", ...
std::string whyNotAFile(llvm::StringRef Path);

/// Parses \p Text as JSON: a null result and \p Error set when it is not.
std::optional<nlohmann::json> parseJson(llvm::StringRef Text, std::string &Error);

/// A field of the wrong type or a missing one, named by its path in the
/// document (`findings[3].location.line`).
class SchemaError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A value in a JSON document with the path that leads to it. Accessors
/// check the type and throw SchemaError naming the path.
class JsonField {
public:
  JsonField(const nlohmann::json &Value, std::string Path)
      : Value(&Value), Path(std::move(Path)) {}

  const std::string &path() const { return Path; }
  const nlohmann::json &json() const { return *Value; }

  /// The member \p Key of an object; it must be present.
  JsonField at(llvm::StringRef Key) const;
  /// The member \p Key of an object, if present.
  std::optional<JsonField> find(llvm::StringRef Key) const;
  /// The elements of an array.
  std::vector<JsonField> elements() const;
  /// The members of an object, in the document's order.
  std::vector<std::pair<std::string, JsonField>> members() const;

  std::string string() const;
  bool boolean() const;
  std::int64_t integer() const;
  /// A non-negative integer that fits in 32 bits.
  unsigned number() const;

  /// The member \p Key if present, else \p Default; a present member of the
  /// wrong type is an error all the same.
  std::string string(llvm::StringRef Key, llvm::StringRef Default) const;
  unsigned number(llvm::StringRef Key, unsigned Default) const;

  /// Throws SchemaError: the field \p What.
  [[noreturn]] void fail(llvm::StringRef What) const;

private:
  const nlohmann::json &expect(nlohmann::json::value_t Type,
                               llvm::StringRef Name) const;

  const nlohmann::json *Value;
  std::string Path;
};

/// True if \p J is an object with the member \p Key: a file of the expected
/// kind (a report has "version", a baseline "corolint_baseline").
bool hasField(const nlohmann::json &J, llvm::StringRef Key);

/// The version field \p Key of \p Top must be the integer \p Want; a
/// SchemaError naming it otherwise.
void checkVersion(const JsonField &Top, llvm::StringRef Key, std::int64_t Want);

} // namespace corolint::analysis

#endif // COROLINT_CHECKS_ANALYSIS_INPUTFILES_H
