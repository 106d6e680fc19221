// hotspot: the command line.
//   hotspot generate --out FILE [--seed N] [--count N] [--year Y] [--wards F] [--town-centres F]
//   hotspot analyse --method dbscan|kde|gistar|evaluate --incidents FILE --out FILE [--PARAM VALUE ...]
//   hotspot token new --role editor|viewer --name NAME
// `analyse` answers exactly as the server's /api/hotspots/<method> would,
// with the same parameters, so a saved file and a map layer agree.
#include "hotspot/auth/tokens.hpp"
#include "sources_command.hpp"
#include "hotspot/data/boundary_layer.hpp"
#include "hotspot/data/snapshot.hpp"
#include "hotspot/data/study_area.hpp"
#include "hotspot/data/synthetic.hpp"
#include "hotspot/data/synthetic_kinds.hpp"
#include "hotspot/data/source_arguments.hpp"
#include "hotspot/engine/query.hpp"
#include "hotspot/render/answers.hpp"
#include "hotspot/render/disclosure.hpp"
#include "hotspot/render/geojson.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace hotspot;

constexpr int kFailureExit = 1;
constexpr int kUsageExit = 2;

void usage(std::ostream& out) {
  out << "Usage:\n"
         "  hotspot generate --out FILE [--seed N] [--count N] [--year YYYY]\n"
         "                   [--wards FILE] [--town-centres FILE]\n"
         "      Writes synthetic incidents (CSV, labelled synthetic) around the town\n"
         "      centres and over the wards (default: the bundled layers).\n"
         "  hotspot generate --kinds DIR [--seed N]\n"
         "      Writes one small synthetic fixture per source kind (police-uk,\n"
         "      police-extract, council-asb, fire, ae-assault) and their venue list\n"
         "      into DIR (tests/fixtures/kinds holds the committed ones).\n"
         "  hotspot analyse --method dbscan|kde|gistar|evaluate --incidents [FORMAT:]FILE\n"
         "                  --out FILE\n"
         "                  [--wards FILE] [--town-centres FILE] [--groups FILE]\n"
         "                  [--study-area-buffer METRES] [--venues FILE]\n"
         "                  [--PARAM VALUE ...]\n"
         "      Runs one hotspot method and writes its GeoJSON. --incidents is\n"
         "      repeatable (FORMAT: police-uk, police-extract, council-asb, fire,\n"
         "      ae-assault, csv, geojson; --venues places ae-assault venue names).\n"
         "      Incidents farther than\n"
         "      --study-area-buffer (0..5000 m, default 0) from every ward are left out;\n"
         "      those within it get the nearest ward. Every other --PARAM is\n"
         "      passed as that endpoint's parameter, e.g. --eps 150 --min_points 8\n"
         "      --hull concave (dbscan), --output contours (kde), --on wards (gistar),\n"
         "      --preset nte --from 2024-01-01 --group E14000641 (see docs/api.md).\n"
         "      evaluate (/api/evaluate) takes --train_from --train_to --test_from\n"
         "      --test_to and --fit kde|gistar|dbscan (its 'method').\n"
         "      --groups: groups of wards for --group (default: the bundled 2013\n"
         "      constituencies); boundary FILEs take ?id=&name=&crs=&layer=&licence=.\n"
         "  hotspot sources add --store STORE --file FILE --kind KIND --name NAME\n"
         "                      [--licence TEXT] [--options 'x=COL&y=COL...'] [--by NAME]\n"
         "                      [--wards FILE] [--study-area-buffer METRES] [--venues FILE]\n"
         "  hotspot sources replace --store STORE --id N --file FILE --kind KIND --name NAME ...\n"
         "  hotspot sources remove --store STORE --id N [--by NAME]\n"
         "  hotspot sources list --store STORE [--withdrawn true]\n"
         "      The partnership's source store (a GeoPackage path or PG:...), as\n"
         "      /api/sources changes it: each change is one transaction; rows already\n"
         "      stored (same kind and row id) are counted as duplicates, not stored\n"
         "      twice. KIND: police-uk, police-extract, council-asb, fire, ae-assault,\n"
         "      csv or geojson (docs/sources.md). A hotspotd over the same store\n"
         "      serves the change within its --store-poll interval.\n"
         "  hotspot token new --role editor|viewer --name NAME\n"
         "      Prints a new random admin token (32 bytes, base64url) once, and the\n"
         "      line to add to hotspotd's --tokens file (it holds only the token's\n"
         "      SHA-256). Give the token to NAME; it cannot be shown again.\n";
}

int bad_usage(const std::string& message) {
  std::cerr << "hotspot: " << message << "\n";
  usage(std::cerr);
  return kUsageExit;
}

// --NAME VALUE pairs; a repeated name other than --incidents is an error.
std::optional<std::multimap<std::string, std::string>> parse_options(
    const std::vector<std::string_view>& args, std::string& problem) {
  std::multimap<std::string, std::string> options;
  for (std::size_t i = 0; i < args.size(); i += 2) {
    if (!args[i].starts_with("--") || args[i].size() < 3) {
      problem = "expected an option --NAME, got '" + std::string(args[i]) + "'";
      return std::nullopt;
    }
    if (i + 1 >= args.size()) {
      problem = std::string(args[i]) + " needs a value";
      return std::nullopt;
    }
    const std::string name(args[i].substr(2));
    if (name != "incidents" && options.count(name)) {
      problem = "--" + name + " is given more than once";
      return std::nullopt;
    }
    options.emplace(name, std::string(args[i + 1]));
  }
  return options;
}

template <typename T>
std::optional<T> parse_number(const std::string& text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

using apps::take;

// --wards / --town-centres / --groups, defaulting to the bundled layers.
Expected<data::BoundaryOptions> boundary_options(std::multimap<std::string, std::string>& options,
                                                 const fs::path& root, const std::string& kind) {
  const fs::path bundled = root / (kind == "wards"    ? "geodata/wards-E06000047.json"
                                   : kind == "groups" ? "geodata/wpc-E06000047.json"
                                                      : "geodata/town-centres.geojson");
  return data::parse_boundary_source(take(options, kind, bundled.string()), kind);
}

// generate --kinds DIR: the small per-kind fixtures (synthetic_kinds.hpp).
int generate_kind_fixtures(std::multimap<std::string, std::string> options) {
  const std::string directory = take(options, "kinds");
  const std::string seed_text = take(options, "seed");
  if (!options.empty()) return bad_usage("generate --kinds does not take --" + options.begin()->first);
  std::uint64_t seed = data::kKindFixtureSeed;
  if (!seed_text.empty()) {
    const auto parsed = parse_number<std::uint64_t>(seed_text);
    if (!parsed) return bad_usage("--seed: '" + seed_text + "' is not a non-negative integer");
    seed = *parsed;
  }
  auto written = data::write_kind_fixtures(directory, seed);
  if (!written) {
    std::cerr << "hotspot: " << written.error().message << "\n";
    return kFailureExit;
  }
  for (const auto& path : *written) std::cerr << "hotspot: wrote " << path << "\n";
  return 0;
}

int generate(std::multimap<std::string, std::string> options) {
  if (options.count("kinds")) return generate_kind_fixtures(std::move(options));
  const fs::path root = data::project_root();
  const std::string out = take(options, "out");
  auto wards_options = boundary_options(options, root, "wards");
  if (!wards_options) return bad_usage(wards_options.error().message);
  auto centres_options = boundary_options(options, root, "town-centres");
  if (!centres_options) return bad_usage(centres_options.error().message);
  const std::string seed_text = take(options, "seed");
  const std::string count_text = take(options, "count");
  const std::string year_text = take(options, "year");
  if (!options.empty()) return bad_usage("generate does not take --" + options.begin()->first);
  if (out.empty()) return bad_usage("generate needs --out FILE");

  data::FileReport wards_report, centres_report;
  auto wards = data::load_boundaries(*wards_options, wards_report);
  if (!wards) {
    std::cerr << "hotspot: " << wards.error().message << "\n";
    return kFailureExit;
  }
  auto centres = data::load_boundaries(*centres_options, centres_report);
  if (!centres) {
    std::cerr << "hotspot: " << centres.error().message << "\n";
    return kFailureExit;
  }
  data::SyntheticOptions synthetic = data::synthetic_options_from_layers(*wards, *centres);
  synthetic.within = wards->index.get();
  if (!seed_text.empty()) {
    auto seed = parse_number<std::uint64_t>(seed_text);
    if (!seed) return bad_usage("--seed: '" + seed_text + "' is not a non-negative integer");
    synthetic.seed = *seed;
  }
  if (!count_text.empty()) {
    auto count = parse_number<std::size_t>(count_text);
    if (!count || *count == 0 || *count > 10'000'000) {
      return bad_usage("--count: '" + count_text + "' is not a count 1..10000000");
    }
    synthetic.count = *count;
  }
  if (!year_text.empty()) {
    auto year = parse_number<int>(year_text);
    if (!year) return bad_usage("--year: '" + year_text + "' is not a year");
    synthetic.year = *year;
  }
  if (auto problem = synthetic.validate()) return bad_usage(problem->message);
  auto written = data::write_synthetic_csv(synthetic, out);
  if (!written) {
    std::cerr << "hotspot: " << written.error().message << "\n";
    return kFailureExit;
  }
  std::cerr << "hotspot: wrote " << *written << " synthetic incidents to " << out << "\n";
  return 0;
}

// The same parameters, engine run and renderer as the HTTP endpoint.
template <typename Params, typename Result>
Expected<render::FeatureAnswer> answer_of(
    const data::Snapshot& snapshot, const engine::NameValues& pairs,
    render::FeatureAnswer (*render_answer)(const data::Snapshot&, const Params&, const Result&)) {
  auto query = engine::Query::parse(pairs, Params::names());
  if (!query) return query.error();
  auto params = Params::parse(*query, snapshot);
  if (!params) return params.error();
  auto result = engine::run(snapshot, *params);
  if (!result) return result.error();
  return render_answer(snapshot, *params, *result);
}

int analyse(std::multimap<std::string, std::string> options) {
  const fs::path root = data::project_root();
  const std::string method = take(options, "method");
  if (method != "dbscan" && method != "kde" && method != "gistar" && method != "evaluate") {
    return bad_usage("analyse needs --method dbscan, kde, gistar or evaluate");
  }
  // evaluate's own 'method' (the one it fits) is --fit here, --method being taken.
  const std::string fit = take(options, "fit");
  if (!fit.empty() && method != "evaluate") return bad_usage("--fit applies only with --method evaluate");
  const std::string out = take(options, "out");
  if (out.empty()) return bad_usage("analyse needs --out FILE");
  data::LoadOptions load;
  auto wards_options = boundary_options(options, root, "wards");
  if (!wards_options) return bad_usage(wards_options.error().message);
  auto centres_options = boundary_options(options, root, "town-centres");
  if (!centres_options) return bad_usage(centres_options.error().message);
  auto groups_options = boundary_options(options, root, "groups");
  if (!groups_options) return bad_usage(groups_options.error().message);
  load.wards = *wards_options;
  load.town_centres = *centres_options;
  load.groups = *groups_options;
  if (const std::string buffer = take(options, "study-area-buffer"); !buffer.empty()) {
    auto metres = data::parse_study_area_buffer(buffer);
    if (!metres) return bad_usage(metres.error().message);
    load.study_area_buffer = *metres;
  }
  for (auto it = options.find("incidents"); it != options.end(); it = options.find("incidents")) {
    auto source = data::parse_incident_source(it->second);
    if (!source) return bad_usage(source.error().message);
    load.incidents.push_back(*source);
    options.erase(it);
  }
  if (load.incidents.empty()) return bad_usage("analyse needs --incidents FILE");
  load.venues = take(options, "venues");

  const auto snapshot = data::load_snapshot(load);
  for (const auto& file : snapshot->report.files) {
    if (!file.loaded) {
      std::cerr << "hotspot: " << file.kind << " " << file.path << ": " << file.error << "\n";
      return kFailureExit;
    }
  }
  engine::NameValues pairs(options.begin(), options.end());
  if (!fit.empty()) pairs.emplace_back("method", fit);
  auto answer = method == "dbscan"     ? answer_of<engine::DbscanParams>(*snapshot, pairs, &render::dbscan_answer)
                : method == "kde"      ? answer_of<engine::KdeParams>(*snapshot, pairs, &render::kde_answer)
                : method == "evaluate" ? answer_of<engine::EvaluateParams>(*snapshot, pairs, &render::evaluate_answer)
                                       : answer_of<engine::GiStarParams>(*snapshot, pairs, &render::gistar_answer);
  if (!answer) {
    std::cerr << "hotspot: " << answer.error().message << "\n";
    const bool usage = answer.error().code == ErrorCode::invalid_parameter ||
                       answer.error().code == ErrorCode::unknown_parameter;
    return usage ? kUsageExit : kFailureExit;
  }
  // The server's last step too: the command line writes private answers
  // (exact counts), saying so in metadata.disclosure as the server does.
  render::disclose(*answer, engine::Disclosure{});
  auto text = render::to_geojson(answer->table, answer->metadata);
  if (!text) {
    std::cerr << "hotspot: " << text.error().message << "\n";
    return kFailureExit;
  }
  std::ofstream file(out, std::ios::binary);
  file << *text;
  if (!file.flush()) {
    std::cerr << "hotspot: cannot write " << out << "\n";
    return kFailureExit;
  }
  std::cerr << "hotspot: wrote " << out << " (" << text->size() << " bytes)\n";
  return 0;
}

// A new admin token on stdout, and its tokens-file line.
int token_new(std::multimap<std::string, std::string> options) {
  const std::string role_text = take(options, "role");
  const std::string name = take(options, "name");
  if (!options.empty()) return bad_usage("token new does not take --" + options.begin()->first);
  auto role = auth::parse_role(role_text);
  if (!role) return bad_usage("token new needs --role editor or --role viewer");
  if (!auth::valid_token_name(name)) {
    return bad_usage("token new needs --name NAME: 1 to 64 letters, digits, '.', '_', '@' or '-'");
  }
  auto token = auth::new_token();
  if (!token) {
    std::cerr << "hotspot: " << token.error().message << "\n";
    return kFailureExit;
  }
  std::cout << "token: " << *token << "\n"
            << "tokens-file line: " << auth::token_line(*token, *role, name) << "\n";
  std::cerr << "hotspot: give the token to " << name
            << " (it is not stored anywhere); add the line to the --tokens file and send\n"
               "hotspotd SIGHUP (or POST /api/admin/reload) to use it\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return bad_usage("a subcommand is needed");
  const std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    usage(std::cout);
    return 0;
  }
  std::string problem;
  if (command == "token") {
    if (argc < 3 || std::string_view(argv[2]) != "new") return bad_usage("token needs 'new'");
    auto options = parse_options(std::vector<std::string_view>(argv + 3, argv + argc), problem);
    if (!options) return bad_usage(problem);
    return token_new(std::move(*options));
  }
  if (command == "sources") {
    if (argc < 3) return bad_usage("sources needs add, replace, remove or list");
    auto options = parse_options(std::vector<std::string_view>(argv + 3, argv + argc), problem);
    if (!options) return bad_usage(problem);
    return apps::sources_command(argv[2], std::move(*options));
  }
  auto options = parse_options(std::vector<std::string_view>(argv + 2, argv + argc), problem);
  if (!options) return bad_usage(problem);
  if (command == "generate") return generate(std::move(*options));
  if (command == "analyse" || command == "analyze") return analyse(std::move(*options));
  return bad_usage("unknown subcommand '" + std::string(command) + "'");
}
