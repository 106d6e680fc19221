#pragma once
// The server's open connections (private to src/http): what each one is
// doing, and the state all of Pistache's handler clones share, including the
// thread that closes idle connections.

#include "hotspot/common/deadline.hpp"
#include "hotspot/http/analysis_pool.hpp"
#include "hotspot/http/request_stream.hpp"
#include "hotspot/http/server.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace hotspot::http {

using Clock = std::chrono::steady_clock;

struct Connection {
  Connection(std::size_t max_request_bytes, SpoolPolicy spool, int fd)
      : stream(max_request_bytes, std::move(spool)), fd(fd) {}

  std::mutex mutex;  // guards everything below
  RequestStream stream;
  const int fd;
  // A request is being answered, perhaps on the analysis pool. Requests
  // behind it (pipelined) wait in the stream, so answers keep their order.
  bool busy = false;
  bool closing = false;  // told to close: no further request is read
  // Pistache reported the disconnection: the fd is no longer this
  // connection's, and nothing more may be written or shut down on it.
  bool gone = false;
  std::shared_ptr<Deadline> work;  // the analysis in progress, cancelled when gone
  // Answers handed to Pistache's write queue and not yet written: while
  // there are any, later answers queue behind them rather than write first.
  std::size_t queued_writes = 0;
  Clock::time_point last_active = Clock::now();
  Clock::time_point partial_since = Clock::now();  // first byte of an unfinished request
};

// Shared by every handler clone (one per Pistache thread).
class Connections {
 public:
  Connections(const Context& context, const ServerOptions& options);
  ~Connections();  // stops the idle reaper and the pool

  const Context& context() const { return *context_; }
  const ServerOptions& options() const { return options_; }
  AnalysisPool& pool() { return pool_; }

  // Registers a new connection; false when it is one too many (or the
  // server is draining): it is registered all the same, to be answered 503
  // and closed.
  bool add(const void* peer, const std::shared_ptr<Connection>& connection);
  // Forgets the connection and cancels its analysis. Called by Pistache
  // before it closes the fd, so a registered connection's fd is its own.
  void remove(const void* peer);

  // Drain: new connections and requests are refused from now on.
  void start_draining() { draining_ = true; }
  bool draining() const { return draining_; }
  // No request is being answered and no answer is being written.
  bool idle() const;
  // Cancels every analysis in progress.
  void cancel_all();

  // Answers on their way to the socket (the drain waits for them).
  void write_started() { ++writing_; }
  void write_finished() { --writing_; }

  // Stops the reaper and runs or refuses what is left on the pool; before
  // Pistache's threads stop, since the pool's jobs write through them.
  void stop();

 private:
  void reap_idle();

  const Context* context_;
  ServerOptions options_;
  AnalysisPool pool_;
  mutable std::mutex mutex_;  // guards connections_
  std::unordered_map<const void*, std::shared_ptr<Connection>> connections_;
  std::atomic<bool> draining_{false};
  std::atomic<long> writing_{0};

  std::mutex reaper_mutex_;
  std::condition_variable reaper_wake_;
  bool stopping_ = false;
  std::thread reaper_;
};

}  // namespace hotspot::http
