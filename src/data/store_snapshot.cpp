// The store's part of a snapshot (load_snapshot with LoadOptions::store).

#include "store_snapshot.hpp"

#include "hotspot/data/fnv1a.hpp"
#include "hotspot/data/source_store.hpp"

#include <chrono>

namespace hotspot::data::detail {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

std::int64_t read_store(const std::string& connection, IncidentTableBuilder& builder,
                        Snapshot& snapshot, std::deque<FileReport>& reports) {
  const auto start = Clock::now();
  auto fail = [&](const Error& error) {
    FileReport& file = reports.emplace_back();
    file.path = connection.rfind("PG:", 0) == 0 ? "PostgreSQL store" : connection;
    file.kind = "store";
    file.format = "store";
    file.error = error.message;
    return std::int64_t{0};
  };
  auto store = SourceStore::open(connection, false);
  if (!store) return fail(store.error());
  auto contents = (*store)->read_all();
  if (!contents) return fail(contents.error());
  for (StoredSource& source : contents->sources) {
    const SourceRecord& record = source.record;
    FileReport& file = reports.emplace_back();
    file.path = record.name;
    file.kind = "incidents";
    file.format = record.kind;
    file.loaded = true;
    file.store_id = record.id;
    file.synthetic = record.synthetic;
    file.rows_read = file.rows_accepted = source.rows.size();
    Fnv1a hash;
    hash.add(record.id);
    hash.add(contents->version);
    file.content_hash = hash.h;
    const auto index = static_cast<std::uint16_t>(snapshot.sources.size());
    builder.begin_source(index, "EPSG:27700", &file);
    builder.add_batch(std::move(source.rows));
    snapshot.sources.push_back(DataSource{record.name, "incidents", record.kind,
                                          snapshot.report.loaded_at, record.synthetic,
                                          record.licence, record.id});
    file.seconds = seconds_since(start);
  }
  return contents->version;
}

}  // namespace hotspot::data::detail
