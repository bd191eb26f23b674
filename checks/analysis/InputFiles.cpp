//===- InputFiles.cpp - reading the files corolint itself reads -----------===//

#include "checks/analysis/InputFiles.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace corolint::analysis {

namespace {

const char *kindOf(mode_t Mode) {
  if (S_ISFIFO(Mode))
    return "a FIFO";
  if (S_ISDIR(Mode))
    return "a directory";
  if (S_ISCHR(Mode) || S_ISBLK(Mode))
    return "a device";
  if (S_ISSOCK(Mode))
    return "a socket";
  return "not a regular file";
}

std::string sizeText(std::uint64_t Bytes) {
  if (Bytes >= (std::uint64_t(1) << 20) && Bytes % (std::uint64_t(1) << 20) == 0)
    return std::to_string(Bytes >> 20) + " MiB";
  return std::to_string(Bytes) + " bytes";
}

const char *typeName(const nlohmann::json &J) {
  switch (J.type()) {
  case nlohmann::json::value_t::null:
    return "null";
  case nlohmann::json::value_t::object:
    return "an object";
  case nlohmann::json::value_t::array:
    return "an array";
  case nlohmann::json::value_t::string:
    return "a string";
  case nlohmann::json::value_t::boolean:
    return "a boolean";
  case nlohmann::json::value_t::number_float:
    return "a fractional number";
  case nlohmann::json::value_t::number_integer:
  case nlohmann::json::value_t::number_unsigned:
    return "an integer";
  default:
    return "binary data";
  }
}

} // namespace

std::string whyNotAFile(llvm::StringRef Path) {
  struct stat Status;
  if (::stat(Path.str().c_str(), &Status) != 0)
    return errno == ENOENT ? "it does not exist" : std::strerror(errno);
  if (!S_ISREG(Status.st_mode))
    return std::string("it is ") + kindOf(Status.st_mode) + ", not a file";
  return "";
}

std::unique_ptr<llvm::MemoryBuffer>
readInputFile(llvm::StringRef Path, std::uint64_t Limit, std::string &Error) {
  // Refused before it is opened: opening a FIFO for reading would wait for
  // a writer. The descriptor is checked again (the path may have changed).
  if (std::string Why = whyNotAFile(Path); !Why.empty()) {
    Error = Why == "it does not exist"
                ? std::string("cannot read it: ") + std::strerror(ENOENT)
                : Why;
    return nullptr;
  }
  std::string Name = Path.str();
  int FD = ::open(Name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (FD < 0) {
    Error = std::string("cannot read it: ") + std::strerror(errno);
    return nullptr;
  }
  struct stat Status;
  if (::fstat(FD, &Status) != 0) {
    Error = std::string("cannot read it: ") + std::strerror(errno);
    ::close(FD);
    return nullptr;
  }
  if (!S_ISREG(Status.st_mode)) {
    Error = std::string("it is ") + kindOf(Status.st_mode) + ", not a file";
    ::close(FD);
    return nullptr;
  }
  auto Size = static_cast<std::uint64_t>(Status.st_size);
  if (Size > Limit) {
    Error = "it is larger than the limit of " + sizeText(Limit) + " (" +
            std::to_string(Size) + " bytes)";
    ::close(FD);
    return nullptr;
  }
  // Read, not mapped: a file rewritten while it is read must not take the
  // process down with SIGBUS.
  auto Buffer = llvm::MemoryBuffer::getOpenFile(FD, Path, Size,
                                                /*RequiresNullTerminator=*/false,
                                                /*IsVolatile=*/true);
  ::close(FD);
  if (!Buffer) {
    Error = "cannot read it: " + Buffer.getError().message();
    return nullptr;
  }
  return std::move(*Buffer);
}

std::optional<nlohmann::json> parseJson(llvm::StringRef Text, std::string &Error) {
  try {
    return nlohmann::json::parse(Text.begin(), Text.end());
  } catch (const nlohmann::json::exception &E) {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    llvm::StringRef What = E.what();
    size_t Close = What.find("] ");
    Error = "it is not JSON (" +
            (Close == llvm::StringRef::npos ? What : What.drop_front(Close + 2)).str() +
            ")";
    return std::nullopt;
  } catch (const std::exception &E) {
    Error = std::string("it cannot be parsed (") + E.what() + ")";
    return std::nullopt;
  }
}

namespace {

std::string joined(const std::string &Path, llvm::StringRef Key) {
  return Path.empty() ? Key.str() : Path + "." + Key.str();
}

} // namespace

bool hasField(const nlohmann::json &J, llvm::StringRef Key) {
  return J.is_object() && J.contains(Key.str());
}

void checkVersion(const JsonField &Top, llvm::StringRef Key, std::int64_t Want) {
  JsonField Version = Top.at(Key);
  if (std::int64_t Got = Version.integer(); Got != Want)
    Version.fail("is " + std::to_string(Got) + "; this corolint reads version " +
                 std::to_string(Want));
}

void JsonField::fail(llvm::StringRef What) const {
  throw SchemaError("field '" + (Path.empty() ? std::string("(top)") : Path) +
                    "' " + What.str());
}

const nlohmann::json &JsonField::expect(nlohmann::json::value_t Type,
                                        llvm::StringRef Name) const {
  bool Matches = Value->type() == Type ||
                 (Type == nlohmann::json::value_t::number_integer &&
                  Value->is_number_integer());
  if (!Matches)
    fail("must be " + Name.str() + ", not " + typeName(*Value));
  return *Value;
}

JsonField JsonField::at(llvm::StringRef Key) const {
  std::optional<JsonField> Member = find(Key);
  if (!Member)
    JsonField(*Value, joined(Path, Key)).fail("is missing");
  return *Member;
}

std::optional<JsonField> JsonField::find(llvm::StringRef Key) const {
  const nlohmann::json &Object = expect(nlohmann::json::value_t::object, "an object");
  auto It = Object.find(Key.str());
  if (It == Object.end())
    return std::nullopt;
  return JsonField(*It, joined(Path, Key));
}

std::vector<JsonField> JsonField::elements() const {
  const nlohmann::json &Array = expect(nlohmann::json::value_t::array, "an array");
  std::vector<JsonField> Out;
  Out.reserve(Array.size());
  for (size_t I = 0; I < Array.size(); ++I)
    Out.emplace_back(Array[I], Path + "[" + std::to_string(I) + "]");
  return Out;
}

std::vector<std::pair<std::string, JsonField>> JsonField::members() const {
  const nlohmann::json &Object = expect(nlohmann::json::value_t::object, "an object");
  std::vector<std::pair<std::string, JsonField>> Out;
  for (auto It = Object.begin(); It != Object.end(); ++It)
    Out.emplace_back(It.key(), JsonField(It.value(), joined(Path, It.key())));
  return Out;
}

std::string JsonField::string() const {
  return expect(nlohmann::json::value_t::string, "a string").get<std::string>();
}

bool JsonField::boolean() const {
  return expect(nlohmann::json::value_t::boolean, "a boolean").get<bool>();
}

std::int64_t JsonField::integer() const {
  const nlohmann::json &J = expect(nlohmann::json::value_t::number_integer, "an integer");
  if (J.is_number_unsigned() &&
      J.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    fail("is out of range");
  return J.get<std::int64_t>();
}

unsigned JsonField::number() const {
  std::int64_t N = integer();
  if (N < 0 || N > static_cast<std::int64_t>(UINT32_MAX))
    fail("must be a number from 0 to " + std::to_string(UINT32_MAX) + ", not " +
         std::to_string(N));
  return static_cast<unsigned>(N);
}

std::string JsonField::string(llvm::StringRef Key, llvm::StringRef Default) const {
  std::optional<JsonField> Member = find(Key);
  return Member ? Member->string() : Default.str();
}

unsigned JsonField::number(llvm::StringRef Key, unsigned Default) const {
  std::optional<JsonField> Member = find(Key);
  return Member ? Member->number() : Default;
}

} // namespace corolint::analysis
