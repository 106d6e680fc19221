// hotspotd: loads the data, serves the API and the map page until SIGINT/SIGTERM.
#include "hotspot/auth/tokens.hpp"
#include "hotspotd_usage.hpp"
#include "hotspot/data/source_store.hpp"
#include "hotspot/http/store_poller.hpp"
#include "hotspot/data/local_time.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/study_area.hpp"
#include "hotspot/http/cache.hpp"
#include "hotspot/http/memory_budget.hpp"
#include "hotspot/http/server.hpp"
#include "hotspot/data/source_arguments.hpp"
#include "hotspot/engine/disclosure.hpp"
#include "hotspot/http/service.hpp"

#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <sys/resource.h>
#include <string>
#include <string_view>
#include <unistd.h>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace hotspot;

constexpr int kUsageExit = 2;

int bad_usage(const std::string& message) {
  std::cerr << "hotspotd: " << message << "\n";
  apps::hotspotd_usage(std::cerr);
  return kUsageExit;
}

std::optional<unsigned> parse_unsigned(std::string_view text, unsigned max) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > max) {
    return std::nullopt;
  }
  return value;
}

// Decimal seconds in [min, max], as a duration in milliseconds.
std::optional<std::chrono::milliseconds> parse_seconds(std::string_view text, double min,
                                                       double max) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
      !(value >= min && value <= max)) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<long long>(value * 1000));
}

// Connections each hold a file descriptor: the soft limit (often 1,024) is
// raised to the hard one, so that the connection limit, not accept(),
// is what turns clients away.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

void log_load_report(const data::Snapshot& snapshot) {
  for (const auto& file : snapshot.report.files) {
    std::cerr << "load: " << file.kind << " " << file.path << ": ";
    if (!file.loaded) {
      std::cerr << "NOT LOADED: " << file.error << "\n";
      continue;
    }
    std::cerr << file.rows_accepted << " accepted, " << file.rows_rejected << " rejected of "
              << file.rows_read << " (" << file.seconds << " s)\n";
    for (const auto& [issue, count] : file.issues) {
      std::cerr << "load:   " << data::row_issue_name(issue) << ": " << count << "\n";
    }
  }
  std::cerr << "load: " << snapshot.incidents->size() << " incidents, " << snapshot.wards->size()
            << " wards, " << snapshot.town_centres->size() << " town centres, "
            << snapshot.groups->layer->size() << " groups" << std::endl;
  std::cerr << "load: area name \"" << snapshot.area.name << "\" (from " << snapshot.area.source
            << ")" << std::endl;
  for (const std::string& warning : data::load_warnings(snapshot)) {
    std::cerr << "load: WARNING: " << warning << std::endl;
  }
  // Wards in no group are named in the groups file's notes (/api/load-report).
  if (snapshot.groups->layer->size() > 0 && !snapshot.groups->unassigned.empty()) {
    std::cerr << "load: " << snapshot.groups->unassigned.size()
              << " ward(s) overlap no group and are in none (see /api/load-report)" << std::endl;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path root = data::project_root();
  http::ServerOptions server;
  data::LoadOptions load;
  load.wards.kind = "wards";
  load.town_centres.kind = "town-centres";
  load.groups.kind = "groups";
  std::string static_dir;
  std::string tokens_path;
  http::Sources sources;
  std::string analyses_path;
  std::chrono::milliseconds store_poll{2000};
  http::CorsPolicy cors;
  unsigned threads = 0;
  std::size_t memory_budget_mib = 1024;
  engine::Disclosure disclosure;
  bool private_reads = false;

  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      apps::hotspotd_usage(std::cout);
      return 0;
    }
    if (arg == "--public") {
      disclosure.public_mode = true;
      continue;
    }
    if (arg == "--private") {
      private_reads = true;
      continue;
    }
    if (i + 1 >= args.size()) return bad_usage("unknown option or missing value: " + std::string(arg));
    const std::string value(args[++i]);
    if (arg == "--bind") {
      server.bind = value;
    } else if (arg == "--port") {
      auto port = parse_unsigned(value, 65535);
      if (!port) return bad_usage("--port: '" + value + "' is not a port 0..65535");
      server.port = static_cast<std::uint16_t>(*port);
    } else if (arg == "--wards" || arg == "--town-centres" || arg == "--groups") {
      auto boundary = data::parse_boundary_source(value, std::string(arg.substr(2)));
      if (!boundary) return bad_usage(boundary.error().message);
      (arg == "--wards" ? load.wards : arg == "--groups" ? load.groups : load.town_centres) = *boundary;
    } else if (arg == "--incidents") {
      auto source = data::parse_incident_source(value);
      if (!source) return bad_usage(source.error().message);
      load.incidents.push_back(*source);
    } else if (arg == "--area-name") {
      if (value.empty()) return bad_usage("--area-name: give a name, e.g. --area-name Darlington");
      load.area_name = value;
    } else if (arg == "--venues") {
      load.venues = value;
    } else if (arg == "--population") {
      auto source = data::parse_population_source(value);
      if (!source) return bad_usage(source.error().message);
      for (const auto& earlier : load.populations) {
        if (earlier.layer == source->layer) {
          return bad_usage("--population: " + source->layer + " given twice");
        }
      }
      load.populations.push_back(*source);
    } else if (arg == "--study-area-buffer") {
      auto buffer = data::parse_study_area_buffer(value);
      if (!buffer) return bad_usage(buffer.error().message);
      load.study_area_buffer = *buffer;
    } else if (arg == "--min-count") {
      auto n = engine::parse_min_count(value);
      if (!n) return bad_usage("--min-count: '" + value + "' is not a count 1..1000");
      disclosure.min_count = *n;
    } else if (arg == "--static") {
      static_dir = value;
    } else if (arg == "--max-analyses" || arg == "--analysis-queue" ||
               arg == "--max-connections") {
      auto n = parse_unsigned(value, arg == "--max-analyses" ? 256 : 1000000);
      if (!n || (*n == 0 && arg != "--analysis-queue")) {
        return bad_usage(std::string(arg) + ": '" + value + "' is not a positive count");
      }
      if (arg == "--max-analyses") server.analysis_workers = *n;
      if (arg == "--analysis-queue") server.analysis_queue = *n;
      if (arg == "--max-connections") server.max_connections = *n;
    } else if (arg == "--memory-budget") {
      auto n = parse_unsigned(value, 1u << 20);
      if (!n || *n < 256) return bad_usage("--memory-budget: '" + value + "' is not 256.. MiB");
      memory_budget_mib = *n;
    } else if (arg == "--deadline" || arg == "--idle-timeout") {
      auto seconds = parse_seconds(value, 0.05, 3600);
      if (!seconds) {
        return bad_usage(std::string(arg) + ": '" + value + "' is not a time of 0.05..3600 seconds");
      }
      (arg == "--deadline" ? server.deadline : server.idle_timeout) = *seconds;
    } else if (arg == "--threads") {
      auto n = parse_unsigned(value, 256);
      if (!n || *n == 0) return bad_usage("--threads: '" + value + "' is not a count 1..256");
      threads = *n;
    } else if (arg == "--tokens") {
      tokens_path = value;
    } else if (arg == "--store") {
      load.store = value;
    } else if (arg == "--analyses") {
      analyses_path = value;
    } else if (arg == "--store-poll") {
      auto seconds = parse_seconds(value, 0.1, 3600);
      if (!seconds) return bad_usage("--store-poll: '" + value + "' is not 0.1..3600 seconds");
      store_poll = *seconds;
    } else if (arg == "--upload-folder") {
      sources.upload_folder = value;
    } else if (arg == "--cors" || arg == "--cors-origin") {  // --cors-origin: the older name
      auto origin = http::parse_cors_origin(value);
      if (!origin) return bad_usage(origin.error().message);
      cors.origins.push_back(*origin);
    } else {
      return bad_usage("unknown option: " + std::string(arg));
    }
  }
  const bool bundled_wards = load.wards.path.empty();
  if (bundled_wards) load.wards.path = (root / "geodata/wards-E06000047.json").string();
  if (load.town_centres.path.empty()) {
    load.town_centres.path = (root / "geodata/town-centres.geojson").string();
  }
  // The bundled constituencies group the bundled wards only: another area's
  // wards would all be in none of them.
  if (load.groups.path.empty() && bundled_wards) {
    load.groups.path = (root / "geodata/wpc-E06000047.json").string();
  }
  data::IncidentSourceOptions bundled;
  bundled.path = (root / "geodata/incidents-synthetic.csv").string();
  // With a store, the bundled file seeds it (below) rather than being read.
  if (load.incidents.empty() && load.store.empty()) load.incidents.push_back(bundled);
  server.threads = threads;
  load.threads = threads;

  if (private_reads && tokens_path.empty()) {
    return bad_usage("--private needs --tokens FILE: the viewer and editor tokens that may read");
  }
  // Admin tokens: a file that cannot be used stops the start, naming the line.
  std::unique_ptr<auth::TokenStore> tokens;
  if (!tokens_path.empty()) {
    tokens = std::make_unique<auth::TokenStore>(tokens_path);
    auto count = tokens->reload();
    if (!count) {
      std::cerr << "hotspotd: --tokens: " << count.error().message << std::endl;
      return kUsageExit;
    }
    std::cerr << "hotspotd: " << *count << " admin token(s) from " << tokens_path << std::endl;
  }

  // Block the stop signals before any thread starts, so every thread
  // inherits the mask and only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A client that hangs up mid-answer must not kill the server.
  std::signal(SIGPIPE, SIG_IGN);
  raise_open_file_limit();

  // Populations are part of the snapshot (and its version), so a reload
  // re-reads them with everything else and cached answers follow them.
  data::Store store;
  http::SavedAnalyses context_analyses;
  if (!load.store.empty()) {
    // A store that cannot be opened or created stops the start: serving
    // without the partnership's data would look like serving it.
    auto opened = data::SourceStore::open(load.store, true);
    if (!opened) {
      std::cerr << "hotspotd: --store: " << opened.error().message << std::endl;
      return 1;
    }
    sources.store = *opened;
    sources.study_area_buffer = load.study_area_buffer;
  }
  store.replace(data::load_snapshot(load));
  if (sources.store) {
    auto seeded = data::seed_store(*sources.store, bundled, *store.current()->wards,
                                   load.study_area_buffer);
    if (!seeded) {
      std::cerr << "hotspotd: --store: seeding: " << seeded.error().message << std::endl;
      return 1;
    }
    if (*seeded) {
      std::cerr << "hotspotd: new store seeded with " << bundled.path << std::endl;
      store.replace(data::load_snapshot(load));
    }
  }
  // Saved analyses: in --analyses, else in the store; a table that cannot
  // be opened stops the start, as the store does.
  if (analyses_path.empty()) analyses_path = load.store;
  if (!analyses_path.empty()) {
    auto book = data::AnalysisBook::open(analyses_path);
    if (!book) {
      std::cerr << "hotspotd: --analyses: " << book.error().message << std::endl;
      return 1;
    }
    context_analyses.book = *book;
  }
  log_load_report(*store.current());
  for (const auto& failure : data::load_failures(*store.current())) {
    std::cerr << "hotspotd: degraded: " << failure << std::endl;
  }

  // The budget: the data, an eighth for cached answers, the rest for
  // analyses at once (unless --max-analyses says fewer).
  const http::MemoryPlan memory = http::plan_memory(
      memory_budget_mib << 20, store.current()->incidents->size(),
      server.analysis_workers ? server.analysis_workers : std::thread::hardware_concurrency());
  if (!memory.fits) {
    std::cerr << "hotspotd: --memory-budget " << memory_budget_mib
              << " MiB leaves no room for an analysis beside the data and the cache; "
                 "running one at a time"
              << std::endl;
  }
  server.analysis_workers = memory.analysis_workers;
  std::cerr << "hotspotd: memory budget " << memory_budget_mib << " MiB: cache "
            << (memory.cache_bytes >> 20) << " MiB, " << memory.analysis_workers
            << " analyses at once" << std::endl;
  // Analysis answers by endpoint, parameters and snapshot version.
  http::ResponseCache cache(256, memory.cache_bytes);
  http::Context context;
  context.store = &store;
  context.cache = &cache;
  context.static_root = static_dir.empty() ? root / "static" : fs::path(static_dir);
  context.started_at = data::utc_now_iso8601();
  context.tokens = tokens.get();
  context.private_reads = private_reads;
  context.cors = cors;
  context.analyses = context_analyses;

  // One reload at a time, whoever asks (SIGHUP or POST /api/admin/reload):
  // the tokens file, then every data file. The new snapshot is built beside
  // the old one and swapped in whole, so requests in flight finish on the
  // data they began with; cached answers are keyed by snapshot version.
  std::mutex reload_mutex;
  context.reload = [&]() {
    const std::lock_guard lock(reload_mutex);
    http::ReloadOutcome outcome;
    if (tokens) {
      // A broken file accepts no token until it is fixed (TokenStore::reload).
      auto count = tokens->reload();
      if (!count) {
        outcome.tokens_error = count.error().message;
        std::cerr << "hotspotd: tokens: " << outcome.tokens_error << "; no token is accepted"
                  << std::endl;
      }
    }
    outcome.loaded = data::load_snapshot(load);
    log_load_report(*outcome.loaded);
    // All or nothing: a file that cannot be read or accepted no rows keeps
    // the data served so far (and /api/health says why).
    outcome.failures = store.reload(outcome.loaded);
    if (!outcome.failures.empty()) {
      std::cerr << "hotspotd: reload refused, still serving the data loaded at "
                << store.current()->report.loaded_at << ":";
      for (const auto& failure : outcome.failures) std::cerr << " [" << failure << "]";
      std::cerr << std::endl;
    } else {
      std::cerr << "hotspotd: serving snapshot " << store.current()->version << std::endl;
    }
    return outcome;
  };
  context.disclosure = disclosure;
  context.sources = sources;
  if (disclosure.public_mode) {
    std::cerr << "hotspotd: public mode: counts below " << disclosure.min_count
              << " suppressed, domestic incidents excluded, /api/incidents 403" << std::endl;
  }

  auto running = http::Server::start(server, context);
  if (!running) {
    std::cerr << "hotspotd: " << running.error().message << std::endl;
    return 1;
  }
  std::cerr << "hotspotd: static files from " << context.static_root.string() << std::endl;
  std::cout << "hotspotd listening on http://" << server.bind << ":" << (*running)->port() << "/"
            << std::endl;

  std::unique_ptr<http::StorePoller> poller;
  if (sources.store) {
    poller = std::make_unique<http::StorePoller>(sources.store, store, store_poll,
                                                 [&] { context.reload(); });
  }

  int signal = 0;
  while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) {
    std::cerr << "hotspotd: SIGHUP, reloading" << std::endl;
    context.reload();
  }
  std::cerr << "hotspotd: " << (signal == SIGINT ? "SIGINT" : "SIGTERM")
            << ", stopping: no new requests; waiting for those in progress" << std::endl;
  // Every analysis ends by its deadline; the grace adds time to write answers.
  const bool answered = (*running)->drain(server.deadline + std::chrono::seconds(1));
  std::cerr << "hotspotd: " << (answered ? "every request answered" : "stopped with requests unanswered")
            << ", exiting" << std::endl;
  poller.reset();
  (*running)->shutdown();
  return 0;
}
