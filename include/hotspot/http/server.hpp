#pragma once
// The HTTP server: a thin Pistache adapter around handle(). Pistache types
// stay in server.cpp. One catch-all Pistache handler does our own routing,
// so every method on every path is answered by handle() (405 with Allow,
// 404 JSON) and the library's router is never involved.

#include "hotspot/common/error.hpp"
#include "hotspot/http/service.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace hotspot::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see Server::port())
  unsigned threads = 0;       // 0: hardware concurrency (at least 2)
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
  // Stops accepting and joins the server threads; idempotent.
  void shutdown();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotspot::http
