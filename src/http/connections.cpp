#include "connections.hpp"

#include <algorithm>
#include <sys/socket.h>

namespace hotspot::http {

Connections::Connections(const Context& context, const ServerOptions& options)
    : context_(&context),
      options_(options),
      pool_(options.analysis_workers, options.analysis_queue.value_or(0)),
      reaper_([this] { reap_idle(); }) {}

Connections::~Connections() { stop(); }

void Connections::stop() {
  {
    std::lock_guard lock(reaper_mutex_);
    stopping_ = true;
  }
  reaper_wake_.notify_all();
  if (reaper_.joinable()) reaper_.join();
  pool_.stop();
}

bool Connections::add(const void* peer, const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  const bool room = connections_.size() < options_.max_connections && !draining_;
  connections_.emplace(peer, connection);
  return room;
}

void Connections::remove(const void* peer) {
  std::shared_ptr<Connection> connection;
  {
    std::lock_guard lock(mutex_);
    const auto it = connections_.find(peer);
    if (it == connections_.end()) return;
    connection = std::move(it->second);
    connections_.erase(it);
  }
  std::lock_guard lock(connection->mutex);
  connection->gone = true;
  if (connection->work) connection->work->cancel();
}

bool Connections::idle() const {
  if (writing_ > 0) return false;
  std::lock_guard lock(mutex_);
  return std::none_of(connections_.begin(), connections_.end(), [](const auto& entry) {
    std::lock_guard connection_lock(entry.second->mutex);
    return entry.second->busy && !entry.second->gone;
  });
}

void Connections::cancel_all() {
  std::lock_guard lock(mutex_);
  for (const auto& [peer, connection] : connections_) {
    std::lock_guard connection_lock(connection->mutex);
    if (connection->work) connection->work->cancel();
  }
}

// Closes connections that have had nothing in progress for the idle
// timeout, and those whose unfinished request has taken as long (a client
// that sends a byte now and then must not hold a connection for ever).
// shutdown() rather than close(): Pistache sees the end of the stream,
// reports the disconnection and closes the fd itself. The registry's lock
// is held throughout, and Pistache calls remove() (which takes it) before
// it closes an fd, so every fd shut down here is still the connection's.
void Connections::reap_idle() {
  const auto period = std::clamp<Clock::duration>(options_.idle_timeout / 4,
                                                  std::chrono::milliseconds(50),
                                                  std::chrono::seconds(1));
  std::unique_lock wait_lock(reaper_mutex_);
  while (!reaper_wake_.wait_for(wait_lock, period, [this] { return stopping_; })) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    for (const auto& [peer, connection] : connections_) {
      std::lock_guard connection_lock(connection->mutex);
      if (connection->busy || connection->gone) continue;
      const bool idle = now - connection->last_active > options_.idle_timeout;
      const bool stalled = connection->stream.partial() &&
                           now - connection->partial_since > options_.idle_timeout;
      if (idle || stalled) {
        connection->closing = true;
        ::shutdown(connection->fd, SHUT_RDWR);
      }
    }
  }
}

}  // namespace hotspot::http
