// inquest lab: drill scenarios that crash, hang or run out of memory (lab/, the lab
// convention of DESIGN.md): list them, or run one (build, run, capture), analyse its evidence
// with inquest and print its worked transcript.
#include "capture/lab.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/input_file.h"
#include "base/json_writer.h"
#include "base/output.h"
#include "base/output_file.h"
#include "base/strings.h"
#include "cli/command.h"
#include "cli/common.h"

extern char** environ;

namespace inquest::cli {
namespace {

// What scenario.json says (DESIGN.md: symptom, evidence, expect), plus the optional
// "exe" (the program the evidence came from) and "analyze" (inquest command lines, each a list
// of arguments run in OUTDIR) that override the choice made from the evidence files' names.
struct Scenario {
  std::string symptom;
  std::vector<std::string> evidence;
  std::string exe;
  std::vector<std::vector<std::string>> analyze;
  std::string expect_json;
};

Result<Scenario> ReadScenario(const std::string& path) {
  Result<InputFile> in = InputFile::Open(path);
  if (!in.ok()) return in.status();
  simdjson::padded_string json(in->data());
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  Scenario s;
  auto bad = [&](std::string_view why) {
    return Status::BadInput(fmt::format("scenario.json: {}", why), SourceLocation{path});
  };
  if (parser.iterate(json).get(doc)) return bad("not JSON");
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj)) return bad("not a JSON object");
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return bad("bad key");
    simdjson::ondemand::value v = field.value();
    if (key == "symptom" || key == "exe") {
      std::string_view text;
      if (v.get_string().get(text)) return bad(fmt::format("\"{}\" is not a string", key));
      (key == "symptom" ? s.symptom : s.exe) = std::string(text);
    } else if (key == "evidence") {
      simdjson::ondemand::array arr;
      if (v.get_array().get(arr)) return bad("\"evidence\" is not a list");
      for (auto item : arr) {
        std::string_view text;
        if (item.get_string().get(text)) return bad("\"evidence\" holds a non-string");
        s.evidence.emplace_back(text);
      }
    } else if (key == "analyze") {
      simdjson::ondemand::array arr;
      if (v.get_array().get(arr)) return bad("\"analyze\" is not a list");
      for (auto cmd : arr) {
        simdjson::ondemand::array args;
        if (cmd.get_array().get(args)) return bad("\"analyze\" holds a non-list");
        std::vector<std::string> argv;
        for (auto a : args) {
          std::string_view text;
          if (a.get_string().get(text)) return bad("\"analyze\" holds a non-string argument");
          argv.emplace_back(text);
        }
        if (!argv.empty()) s.analyze.push_back(std::move(argv));
      }
    } else if (key == "expect") {
      simdjson::ondemand::object expect;
      if (v.get_object().get(expect)) return bad("\"expect\" is not an object");
      std::string_view whole;
      if (expect.raw_json().get(whole)) return bad("bad \"expect\"");
      s.expect_json = std::string(TrimSpace(whole));
    }
  }
  return s;
}

// The inquest command that reads an evidence file, chosen by its name.
std::vector<std::string> AnalysisFor(const std::string& file, const std::string& exe) {
  std::string base = std::filesystem::path(file).filename().string();
  if (base.starts_with("core")) {
    std::vector<std::string> argv = {"core", file};
    if (!exe.empty()) argv.insert(argv.end(), {"--exe", exe});
    return argv;
  }
  if (base.starts_with("crash-")) {
    std::vector<std::string> argv = {"symbolize", file};
    if (!exe.empty()) argv.insert(argv.end(), {"--exe", exe});
    return argv;
  }
  if (base.ends_with(".hprof") || base.ends_with(".pprof")) return {"heap", file};
  if (base.ends_with(".txt") || base.ends_with(".log")) return {"dump", file};
  return {};
}

// Runs `argv` in `cwd` with stdout sent to `out_fd`; returns its exit code (128+N for a signal).
Result<int> Spawn(const std::vector<std::string>& argv, const std::string& cwd, int out_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (out_fd != 1) posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Status::Internal(fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

int List(const std::string& lab_dir, OutputFormat format) {
  std::vector<LabScenario> all = ListScenarios(lab_dir);
  if (format == OutputFormat::kJson) {
    JsonWriter j(JsonStyle::kCompact);
    j.BeginArray();
    for (const LabScenario& sc : all)
      j.BeginObject().Field("name", sc.name).Field("title", sc.title).EndObject();
    EmitLine(j.EndArray().Take());
    return 0;
  }
  size_t w = 0;
  for (const LabScenario& s : all) w = std::max(w, s.name.size());
  for (const LabScenario& s : all) fmt::print("{:<{}}  {}\n", s.name, w, s.title);
  if (all.empty()) fmt::print(stderr, "inquest lab: no scenarios in {}\n", lab_dir);
  return 0;
}

int Run(const std::string& lab_dir, const std::string& name, std::string out_dir) {
  std::vector<LabScenario> all = ListScenarios(lab_dir);
  const LabScenario* scenario = nullptr;
  std::vector<std::string_view> names;
  for (const LabScenario& s : all) {
    names.push_back(s.name);
    if (s.name == name) scenario = &s;
  }
  if (scenario == nullptr) {
    std::string_view near = ClosestMatch(name, names);
    return Fail("lab", Status::InvalidArgument(fmt::format(
                           "no scenario \"{}\" in {}{}", name, lab_dir,
                           near.empty() ? "" : fmt::format("; did you mean \"{}\"?", near))));
  }
  if (out_dir.empty()) {
    std::string templ = fmt::format("/tmp/inquest-lab-{}-XXXXXX", name);
    if (mkdtemp(templ.data()) == nullptr) {
      return Fail("lab", Status::IoError("cannot create a folder in /tmp"));
    }
    out_dir = templ;
  } else {
    // The scenario writes evidence there: a folder of our own, 0700, never through a link.
    Result<OutputDir> dir = OutputDir::Open(out_dir, {.mode = 0700});
    if (!dir.ok()) return Fail("lab", dir.status());
    fchmod(dir->fd(), 0700);
  }
  out_dir = std::filesystem::absolute(out_dir).lexically_normal().string();
  std::error_code ec;
  std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  setenv("INQUEST", self.c_str(), 1);
  fmt::print(stderr, "inquest lab: running {}/run {}\n", scenario->dir, out_dir);
  FlushOutput();
  // The scenario's own output is progress: it goes to stderr, stdout keeps the transcript.
  Result<int> rc = Spawn({scenario->dir + "/run", out_dir}, scenario->dir, 2);
  if (!rc.ok()) return Fail("lab", rc.status());
  // 77 is the scenario's "a runtime it needs is missing" (the e2e tests' skip code).
  constexpr int kMissingRuntime = 77;
  if (*rc == kMissingRuntime) {
    return Fail("lab", Status::Unsupported(fmt::format(
                           "{} needs a toolchain or runtime that is not installed; its output "
                           "above says which",
                           scenario->name)));
  }
  if (*rc != 0) {
    return Fail("lab", Status::Internal(fmt::format("{}/run exited with {}; its output is above",
                                                    scenario->dir, *rc)));
  }
  Result<Scenario> sc = ReadScenario(out_dir + "/scenario.json");
  if (!sc.ok()) return Fail("lab", sc.status());
  fmt::print("# {}: {}\n\n", scenario->name, scenario->title);
  fmt::print("symptom: {}\nevidence in {}:\n", sc->symptom, out_dir);
  for (const std::string& e : sc->evidence) fmt::print("  {}\n", e);
  if (!sc->expect_json.empty()) fmt::print("expected conclusion: {}\n", sc->expect_json);
  std::vector<std::vector<std::string>> commands = sc->analyze;
  if (commands.empty()) {
    for (const std::string& e : sc->evidence) {
      if (auto argv = AnalysisFor(e, sc->exe); !argv.empty()) commands.push_back(argv);
    }
  }
  for (std::vector<std::string> argv : commands) {
    fmt::print("\n$ inquest {}\n", fmt::join(argv, " "));
    FlushOutput();
    argv.insert(argv.begin(), self);
    Result<int> code = Spawn(argv, out_dir, 1);
    if (!code.ok()) return Fail("lab", code.status());
    if (*code != 0) fmt::print("(exit code {})\n", *code);
  }
  std::ifstream readme(scenario->dir + "/README.md");
  if (readme) {
    std::stringstream text;
    text << readme.rdbuf();
    fmt::print("\n---- the worked transcript ({}/README.md) ----\n\n{}", scenario->dir, text.str());
  }
  return 0;
}

}  // namespace

int RunLab(int argc, char** argv) {
  CLI::App app("drill scenarios that crash, hang or run out of memory, with worked transcripts",
               "lab");
  app.require_subcommand(1);
  FormatFlags format;
  CLI::App* list = app.add_subcommand("list", "the scenarios, with their titles");
  format.Add(*list, /*with_log_format=*/false);
  CLI::App* run = app.add_subcommand(
      "run", "build and run a scenario, capture its dump, analyse it, print its transcript");
  std::string name, out_dir;
  run->add_option("scenario", name, "the scenario's name (inquest lab list)")->required();
  run->add_option("--out", out_dir, "where the evidence goes (default: a new folder in /tmp)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  Result<std::string> lab_dir = FindLabDir();
  if (!lab_dir.ok()) return Fail("lab", lab_dir.status());
  if (list->parsed()) {
    if (Status s = format.Resolve({}); !s.ok()) return Fail("lab", s);
    return List(*lab_dir, format.output);
  }
  return Run(*lab_dir, name, out_dir);
}

}  // namespace inquest::cli
