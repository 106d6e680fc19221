#pragma once
// The HTTP server: a thin Pistache adapter around dispatch(). Pistache types
// stay in src/http. One catch-all Pistache handler does our own routing,
// so every method on every path is answered by dispatch() (405 with Allow,
// 404 JSON) and the library's router is never involved.
//
// Work is bounded per request and per server: analyses run on an
// AnalysisPool (a few at once, a bounded queue, each with a deadline and
// cancelled when its client goes away); idle connections are closed after
// a timeout; beyond a connection limit new connections get a 503 and are
// closed. docs/security.md says what each bound is for.

#include "hotspot/common/error.hpp"
#include "hotspot/http/service.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace hotspot::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see Server::port())
  unsigned threads = 0;       // connection threads; 0: hardware concurrency (at least 2)
  unsigned analysis_workers = 0;  // analyses at once; 0: hardware concurrency
  std::optional<std::size_t> analysis_queue;  // analyses waiting; unset: four per worker
  // An analysis past this is stopped and answered 503 with Retry-After;
  // so is one that waited in the queue this long.
  std::chrono::milliseconds deadline{5000};
  // A connection with no request in progress for this long is closed.
  std::chrono::milliseconds idle_timeout{30000};
  // Open connections beyond this get a 503 and are closed; 0: the open-file
  // limit less a reserve for data files and the listener.
  std::size_t max_connections = 0;
};

class Server {
 public:
  // Binds and starts serving on background threads. `context` must outlive
  // the server. A bind failure is an Error naming the address.
  static Expected<std::unique_ptr<Server>> start(const ServerOptions& options,
                                                 const Context& context);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;  // the real port, also when 0 was asked for
  std::size_t max_connections() const;

  // For a graceful stop: new connections and new requests get a 503 and are
  // closed, requests in progress finish (each within its deadline, after
  // which it is cancelled), and this returns once all are answered or
  // `grace` has passed. Returns whether everything was answered.
  bool drain(std::chrono::milliseconds grace);
  // Stops accepting and joins the server threads; idempotent.
  void shutdown();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotspot::http
