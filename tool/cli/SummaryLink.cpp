//===- SummaryLink.cpp - blocking through callees across files ------------===//

#include "tool/cli/SummaryLink.h"

#include "checks/analysis/ChainText.h"
#include "checks/analysis/InputFiles.h"
#include "checks/catalog/BlockingApis.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <set>

using nlohmann::json;
using corolint::analysis::ExportedLocation;
using corolint::analysis::ExportedSummary;

namespace corolint::cli {

SummaryLink::SummaryLink(const std::vector<UnitSummaries> &Units,
                         std::string Check, unsigned MaxCallDepth,
                         const analysis::ChainWording *Words)
    : Units(Units), Check(std::move(Check)), MaxCallDepth(MaxCallDepth),
      Words(Words) {
  for (unsigned I = 0; I < Units.size(); ++I)
    Order.push_back(I);
  std::sort(Order.begin(), Order.end(), [&](unsigned A, unsigned B) {
    return Units[A].File < Units[B].File;
  });

  // Merge: a function defined in several units (inline, templates) keeps
  // the summary of the first unit by path.
  for (unsigned U : Order) {
    auto It = Units[U].PerCheck.find(this->Check);
    if (It == Units[U].PerCheck.end())
      continue;
    for (const ExportedSummary &S : It->second) {
      if (S.USR.empty())
        continue;
      LinkedFunction &F = Functions[S.USR];
      if (!F.Summary)
        F.Summary = &S;
      if (F.DefinedIn.empty() || F.DefinedIn.back() != U)
        F.DefinedIn.push_back(U);
    }
  }

  // Callers of each function, through calls the analysis follows.
  std::map<std::string, std::vector<std::pair<std::string, unsigned>>> Callers;
  for (const auto &[USR, F] : Functions)
    for (unsigned C = 0; C < F.Summary->Calls.size(); ++C) {
      auto Callee = Functions.find(F.Summary->Calls[C].CalleeUSR);
      if (Callee == Functions.end() || !followed(Callee->second))
        continue;
      Callers[Callee->first].push_back({USR, C});
      ++EdgeCount;
    }

  // Breadth first from the functions that hold a fact: the first time a
  // function is reached is through its shortest chain.
  std::deque<std::string> Queue;
  for (auto &[USR, F] : Functions)
    if (!F.Summary->Facts.empty() && followed(F)) {
      F.Depth = 1;
      Queue.push_back(USR);
    }
  while (!Queue.empty()) {
    std::string Current = std::move(Queue.front());
    Queue.pop_front();
    const LinkedFunction &Reached = Functions[Current];
    if (Reached.Depth >= MaxCallDepth || !followed(Reached))
      continue;
    for (const auto &[Caller, Call] : Callers[Current]) {
      LinkedFunction &F = Functions[Caller];
      if (F.Depth)
        continue;
      F.Depth = Reached.Depth + 1;
      F.Next = Current;
      F.NextCall = Call;
      Queue.push_back(Caller);
    }
  }
}

bool SummaryLink::followed(const LinkedFunction &F) const {
  return F.Summary && !F.Summary->IsCoroutine && !F.Summary->IsNonBlocking &&
         !F.Summary->IsOffload;
}

std::vector<ChainStep> SummaryLink::chainFrom(llvm::StringRef USR) const {
  std::vector<ChainStep> Steps;
  auto It = Functions.find(USR.str());
  while (It != Functions.end() && It->second.Depth) {
    const LinkedFunction &F = It->second;
    ChainStep Step;
    Step.USR = It->first;
    Step.Name = F.Summary->Name;
    if (F.Next.empty()) {
      Step.At = F.Summary->Facts.front().Loc;
      Steps.push_back(std::move(Step));
      break;
    }
    Step.At = F.Summary->Calls[F.NextCall].Loc;
    Steps.push_back(std::move(Step));
    It = Functions.find(F.Next);
  }
  return Steps;
}

std::vector<LinkedFinding> SummaryLink::findings() const {
  if (!Words)
    return {};
  std::vector<LinkedFinding> Out;
  std::set<std::tuple<std::string, unsigned, unsigned>> Seen;
  std::set<std::tuple<std::string, unsigned, std::string>> SeenOnLine;
  for (unsigned U : Order) {
    auto PerCheck = Units[U].PerCheck.find(Check);
    if (PerCheck == Units[U].PerCheck.end())
      continue;
    for (const ExportedSummary &S : PerCheck->second) {
      if (!S.IsAsync)
        continue;
      for (const ExportedSummary::ExportedCall &Call : S.Calls) {
        auto Callee = Functions.find(Call.CalleeUSR);
        if (Callee == Functions.end() || !followed(Callee->second) ||
            !Callee->second.Depth || Callee->second.Depth > MaxCallDepth)
          continue;
        std::vector<ChainStep> Chain = chainFrom(Call.CalleeUSR);
        // A chain wholly inside this unit is the per-unit check's finding.
        bool Leaves = llvm::any_of(Chain, [&](const ChainStep &Step) {
          const LinkedFunction &F = Functions.at(Step.USR);
          return !llvm::is_contained(F.DefinedIn, U);
        });
        if (!Leaves || Chain.empty())
          continue;
        if (!Seen.insert({Call.Loc.File, Call.Loc.Line, Call.Loc.Column}).second)
          continue;
        // One line's calls that reach the same fact (a temporary's and a
        // local's destructor) are one finding, as in the per-unit checks.
        if (!SeenOnLine.insert({Call.Loc.File, Call.Loc.Line, Chain.back().USR})
                 .second)
          continue;
        const ExportedSummary &Last = *Functions.at(Chain.back().USR).Summary;
        const ExportedSummary::ExportedFact &Fact = Last.Facts.front();
        LinkedFinding F;
        F.Check = Check;
        F.At = Call.Loc;
        std::string What = Fact.Category == "loop"
                               ? "a CPU-heavy loop"
                               : "'" + Fact.Api + "'";
        llvm::StringRef Description;
        if (std::optional<catalog::Category> Cat =
                catalog::parseCategory(Fact.Category))
          Description = catalog::categoryDescription(*Cat);
        F.Message = analysis::crossfile::message(*Words, Callee->second.Summary->Name,
                                       S.DisplayName, What, Description,
                                       S.Advice);
        for (size_t I = 0; I + 1 < Chain.size(); ++I)
          F.Notes.push_back(
              {analysis::crossfile::callNote(Chain[I].Name, Chain[I + 1].Name), Chain[I].At});
        F.Notes.push_back({analysis::crossfile::factNote(*Words, Chain.back().Name, What),
                           Chain.back().At});
        // The rewrite needs the unit's AST, gone by the time of the link.
        F.Notes.push_back({"no fix from the cross-file link: with "
                           "'--export-summaries=FILE' and then option "
                           "'SummaryFile: FILE', the unit's own analysis "
                           "gives one",
                           Call.Loc});
        Out.push_back(std::move(F));
      }
    }
  }
  return Out;
}

namespace {

json locationJson(const ExportedLocation &L) {
  return {{"file", L.File}, {"line", L.Line}, {"column", L.Column}};
}

ExportedLocation readLocation(const analysis::JsonField &J) {
  ExportedLocation L;
  L.File = J.at("file").string();
  L.Line = J.at("line").number();
  L.Column = J.at("column").number();
  return L;
}

json summaryJson(const ExportedSummary &S) {
  auto Calls = [](const std::vector<ExportedSummary::ExportedCall> &List) {
    json Out = json::array();
    for (const auto &C : List)
      Out.push_back({{"usr", C.CalleeUSR}, {"name", C.CalleeName},
                     {"location", locationJson(C.Loc)}});
    return Out;
  };
  json Facts = json::array();
  for (const auto &F : S.Facts)
    Facts.push_back({{"api", F.Api}, {"category", F.Category},
                     {"location", locationJson(F.Loc)}});
  return {{"usr", S.USR},
          {"name", S.Name},
          {"location", locationJson(S.Loc)},
          {"coroutine", S.IsCoroutine},
          {"async", S.IsAsync},
          {"nonblocking", S.IsNonBlocking},
          {"offload", S.IsOffload},
          {"advice", S.Advice},
          {"display_name", S.DisplayName},
          {"facts", std::move(Facts)},
          {"calls", Calls(S.Calls)},
          {"offloads", Calls(S.Offloads)}};
}

ExportedSummary readSummary(const analysis::JsonField &J) {
  auto Calls = [](const analysis::JsonField &List) {
    std::vector<ExportedSummary::ExportedCall> Out;
    for (const analysis::JsonField &C : List.elements()) {
      ExportedSummary::ExportedCall Call;
      Call.CalleeUSR = C.at("usr").string();
      Call.CalleeName = C.at("name").string();
      Call.Loc = readLocation(C.at("location"));
      Out.push_back(std::move(Call));
    }
    return Out;
  };
  ExportedSummary S;
  S.USR = J.at("usr").string();
  S.Name = J.at("name").string();
  S.Loc = readLocation(J.at("location"));
  S.IsCoroutine = J.at("coroutine").boolean();
  S.IsAsync = J.at("async").boolean();
  S.IsNonBlocking = J.at("nonblocking").boolean();
  S.IsOffload = J.at("offload").boolean();
  S.Advice = J.at("advice").string();
  S.DisplayName = J.at("display_name").string();
  for (const analysis::JsonField &F : J.at("facts").elements()) {
    ExportedSummary::ExportedFact Fact;
    Fact.Api = F.at("api").string();
    Fact.Category = F.at("category").string();
    Fact.Loc = readLocation(F.at("location"));
    S.Facts.push_back(std::move(Fact));
  }
  S.Calls = Calls(J.at("calls"));
  S.Offloads = Calls(J.at("offloads"));
  return S;
}

} // namespace

void writeSummaries(const std::vector<const SummaryLink *> &Links,
                    llvm::raw_ostream &OS) {
  json Checks = json::object();
  for (const SummaryLink *Link : Links) {
    json Functions = json::array();
    for (const auto &[USR, F] : Link->functions()) {
      json Entry = summaryJson(*F.Summary);
      if (F.Depth) {
        std::vector<ChainStep> Steps = Link->chainFrom(USR);
        json Chain = json::array();
        for (const ChainStep &Step : Steps)
          Chain.push_back({{"usr", Step.USR}, {"name", Step.Name},
                           {"location", locationJson(Step.At)}});
        const ExportedSummary &Last =
            *Link->functions().at(Steps.back().USR).Summary;
        Entry["blocks"] = {{"depth", F.Depth},
                           {"api", Last.Facts.front().Api},
                           {"category", Last.Facts.front().Category},
                           {"chain", std::move(Chain)}};
      }
      Functions.push_back(std::move(Entry));
    }
    Checks[Link->check()] = std::move(Functions);
  }
  json Out = {{"corolint_summaries", 1}, {"checks", std::move(Checks)}};
  OS << Out.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
}

std::string summariesToJson(const UnitSummaries &U) {
  json PerCheck = json::object();
  for (const auto &[Check, List] : U.PerCheck) {
    json Entries = json::array();
    for (const ExportedSummary &S : List)
      Entries.push_back(summaryJson(S));
    PerCheck[Check] = std::move(Entries);
  }
  return json({{"file", U.File}, {"checks", std::move(PerCheck)}})
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<UnitSummaries> summariesFromJson(llvm::StringRef Text,
                                               std::string &Error) {
  std::optional<json> J = analysis::parseJson(Text, Error);
  if (!J)
    return std::nullopt;
  try {
    analysis::JsonField Top(*J, "");
    UnitSummaries U;
    U.File = Top.at("file").string();
    for (const auto &[Check, List] : Top.at("checks").members())
      for (const analysis::JsonField &S : List.elements())
        U.PerCheck[Check].push_back(readSummary(S));
    return U;
  } catch (const std::exception &E) {
    Error = E.what();
    return std::nullopt;
  }
}

} // namespace corolint::cli
