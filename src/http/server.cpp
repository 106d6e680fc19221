// The Pistache adapter: splits each connection's bytes into requests (to
// keep every request's raw target and to answer pipelined requests in
// order), has Pistache parse them, converts them into http::Request, calls
// dispatch(), runs deferred analyses on the pool, writes the Response, and
// logs one line per request.
#include "hotspot/http/server.hpp"

#include "connections.hpp"
#include "wire.hpp"

#include "hotspot/http/errors.hpp"
#include "hotspot/http/log.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <cstdio>
#include <cstring>
#include <optional>
#include <exception>
#include <string_view>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <thread>
#include <unistd.h>

namespace hotspot::http {
namespace {

namespace P = Pistache;

// Where a connection keeps its state among the peer's data.
constexpr const char* kConnectionData = "hotspot.Connection";
constexpr const char* kInternalBody = R"({"error":{"code":"internal","message":"Internal error"}})";
// File descriptors kept free of connections: data files, GDAL, the listener.
constexpr std::size_t kReservedFiles = 64;

// How one request is answered once its Response is known.
struct Reply {
  P::Http::Version version = P::Http::Version::Http11;
  bool keep_alive = false;
  bool head = false;
  std::string method = "?";
  std::string path = "?";
  Clock::time_point started = Clock::now();
};

// Converts what Pistache parsed. The path and query come from the raw request
// target: Pistache 0.0.5 keeps only the first of a repeated query name, and
// the handlers must see every pair in request order, duplicates kept, so
// that the parameter parser can refuse a repeat. Decoding is strict.
Expected<Request> convert(const P::Http::Request& in, const RequestStream::Next& raw) {
  auto out = make_request(P::Http::methodString(in.method()), raw.target);
  if (!out) return out;
  for (const auto& header : in.headers().rawList()) {
    std::string name = header.first;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out->headers.emplace_back(std::move(name), header.second.value());
  }
  out->size_bytes = raw.bytes.size();
  out->body = in.body();
  out->body_file = raw.body_file;
  return out;
}

Response error_now(ErrorCode code, std::string message) {
  return error_response(make_error(code, std::move(message)));
}

// The answer to bytes that could not be taken as a request.
Response unframed(const RequestStream::Next& raw) {
  using Kind = RequestStream::Next::Kind;
  switch (raw.kind) {
    case Kind::too_large: return error_now(ErrorCode::payload_too_large, raw.reason);
    case Kind::length_required: return error_now(ErrorCode::length_required, raw.reason);
    case Kind::spool_failed: return error_now(ErrorCode::insufficient_storage, raw.reason);
    default: break;
  }
  return bad_request(raw.reason);
}

// Work stopped by its deadline, in words that say which limit: an analysis
// (the server's --deadline) or a source change (its own, longer limit;
// nothing of it was stored).
Response timed_out(const Deadline& deadline, std::chrono::milliseconds limit, bool change) {
  const std::string what = change ? "The change" : "The analysis";
  if (deadline.cancelled()) {
    return error_now(ErrorCode::deadline_exceeded,
                     what + " was stopped: the server is shutting down; try again shortly");
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%g", static_cast<double>(limit.count()) / 1000);
  const std::string advice =
      change ? "; nothing was stored: try again when the server is less busy, or split the file"
             : "; use a narrower selection, a larger 'cell' or fewer levels, or try again later";
  return error_now(ErrorCode::deadline_exceeded, what + " did not finish within the server's " +
                                                     "limit of " + seconds + " s" + advice);
}

class Adapter : public P::Http::Handler {
 public:
  HTTP_PROTOTYPE(Adapter)

  explicit Adapter(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  // Not reached: onInput below answers every request itself, with its raw
  // target. Pistache still requires the override.
  void onRequest(const P::Http::Request&, P::Http::ResponseWriter writer) override {
    writer.send(P::Http::Code::Internal_Server_Error, kInternalBody);
  }

  void onDisconnection(const std::shared_ptr<P::Tcp::Peer>& peer) override {
    connections_->remove(peer.get());
  }

 private:
  // Http::Handler's onConnection and onInput are private, so they are
  // replaced rather than extended. This one sets up the parser Pistache's
  // would, and the connection's state.
  void onConnection(const std::shared_ptr<P::Tcp::Peer>& peer) override {
    peer->putData(ParserData, std::make_shared<P::Http::RequestParser>(getMaxRequestSize()));
    auto connection = std::make_shared<Connection>(
        getMaxRequestSize(), upload_spool(connections_->context()), peer->fd());
    peer->putData(kConnectionData, connection);
    if (!connections_->add(peer.get(), connection)) {
      {
        // Registered: the reaper may look at it from now on.
        std::lock_guard lock(connection->mutex);
        connection->busy = true;
        connection->closing = true;
      }
      write(peer, connection,
            connections_->draining()
                ? error_now(ErrorCode::unavailable, "The server is shutting down; try again shortly")
                : error_now(ErrorCode::overloaded,
                            "The server has too many open connections; try again shortly"),
            Reply{});
    }
  }

  // Bytes as read; they may hold part of a request or several pipelined ones.
  void onInput(const char* buffer, std::size_t len,
               const std::shared_ptr<P::Tcp::Peer>& peer) override {
    auto connection = std::static_pointer_cast<Connection>(peer->getData(kConnectionData));
    {
      std::lock_guard lock(connection->mutex);
      if (connection->closing) return;
      connection->last_active = Clock::now();
      // An upload's body arriving is progress: only a stall counts.
      if (!connection->stream.partial() || connection->stream.spooling()) {
        connection->partial_since = connection->last_active;
      }
      connection->stream.append(std::string_view(buffer, len));
    }
    pump(peer, connection);
  }

  // Answers the connection's whole requests one at a time, in order. Stops
  // at an analysis handed to the pool: the job calls pump again when done.
  // Runs on Pistache's thread for the connection or on a pool worker, never
  // on both at once (`busy`).
  void pump(const std::shared_ptr<P::Tcp::Peer>& peer,
            const std::shared_ptr<Connection>& connection) {
    for (;;) {
      RequestStream::Next next;
      {
        std::lock_guard lock(connection->mutex);
        if (connection->busy || connection->closing || connection->gone) return;
        next = connection->stream.next();
        if (next.kind == RequestStream::Next::Kind::incomplete) return;
        connection->busy = true;
      }
      if (!answer(next, peer, connection)) return;  // on the pool
      std::lock_guard lock(connection->mutex);
      connection->busy = false;
      connection->last_active = Clock::now();
    }
  }

  // Answers one request now, or hands its analysis to the pool (false).
  bool answer(const RequestStream::Next& raw, const std::shared_ptr<P::Tcp::Peer>& peer,
              const std::shared_ptr<Connection>& connection) {
    Reply reply;
    reply.method = raw.method.empty() ? "?" : raw.method;
    reply.path = raw.target.empty() ? "?" : raw.target;
    if (raw.kind != RequestStream::Next::Kind::request) {
      // Bytes that cannot be split into requests: where the next request
      // would start is unknown, so the connection is closed.
      write(peer, connection, unframed(raw), reply);
      return true;
    }
    auto parser = getParser(peer);
    parser->reset();
    try {
      if (!parser->feed(raw.bytes.data(), raw.bytes.size()) ||
          parser->parse() != P::Http::Private::State::Done) {
        throw P::Http::HttpError(P::Http::Code::Bad_Request, "The request could not be parsed");
      }
    } catch (const P::Http::HttpError& e) {
      // Pistache's parser refuses the request (unknown method, HTTP version,
      // bad header); the client gets the reason as a JSON error.
      parser->reset();
      write(peer, connection, bad_request(e.reason(), e.code()), reply);
      return true;
    }
    const P::Http::Request& in = parser->request;
    reply.version = in.version();
    reply.head = in.method() == P::Http::Method::Head;
    reply.method = P::Http::methodString(in.method());
    // RFC 9112: HTTP/1.1 connections persist unless the client says close;
    // HTTP/1.0 ones only when it asks for keep-alive. (Pistache 0.0.5 closes
    // any connection whose request has no Connection header.)
    const auto header = in.headers().tryGet<P::Http::Header::Connection>();
    reply.keep_alive = header ? header->control() == P::Http::ConnectionControl::KeepAlive
                              : reply.version == P::Http::Version::Http11;
    auto request = convert(in, raw);
    parser->reset();
    if (!request) {
      write(peer, connection, error_response(request.error()), reply);
      return true;
    }
    reply.path = request->path;
    if (connections_->draining()) {
      reply.keep_alive = false;
      write(peer, connection,
            error_now(ErrorCode::unavailable, "The server is shutting down; try again shortly"),
            reply);
      return true;
    }
    Response response = dispatch(*request, connections_->context());
    if (!response.deferred) {
      write(peer, connection, std::move(response), reply);
      return true;
    }
    return !defer(std::move(response.deferred), response.time_limit, peer, connection,
                  std::move(reply));
  }

  // Queues an analysis; true when it was queued. A full queue is a 503 now.
  bool defer(Deferred work, std::chrono::milliseconds time_limit,
             const std::shared_ptr<P::Tcp::Peer>& peer,
             const std::shared_ptr<Connection>& connection, Reply reply) {
    const ServerOptions& options = connections_->options();
    const std::chrono::milliseconds limit = time_limit.count() > 0 ? time_limit : options.deadline;
    auto deadline = std::make_shared<Deadline>(limit);
    {
      std::lock_guard lock(connection->mutex);
      connection->work = deadline;
    }
    std::weak_ptr<P::Tcp::Peer> weak_peer = peer;
    const bool queued = connections_->pool().submit(
        [this, work = std::move(work), weak_peer, connection, deadline, limit, time_limit,
         reply]() mutable {
          Response response =
              deadline->expired()
                  ? error_now(ErrorCode::overloaded,
                              "The server was too busy to start this analysis in time; try "
                              "again shortly")
                  : work(*deadline);
          if (deadline->expired() && response.status == status_for(ErrorCode::deadline_exceeded)) {
            response = timed_out(*deadline, limit, time_limit.count() > 0);
          }
          {
            std::lock_guard lock(connection->mutex);
            connection->work.reset();
          }
          if (weak_peer.expired()) {
            wire::log_request(reply.method, reply.path, response.status, 0, reply.started);
            return;
          }
          // The answer is written, and the connection's next request taken,
          // on the connection's own thread.
          on_connection_thread([this, weak_peer, connection, response = std::move(response),
                                reply]() mutable {
            auto peer = weak_peer.lock();
            if (!peer) {
              wire::log_request(reply.method, reply.path, response.status, 0, reply.started);
              return;
            }
            write(peer, connection, std::move(response), reply);
            {
              std::lock_guard lock(connection->mutex);
              connection->busy = false;
              connection->last_active = Clock::now();
            }
            pump(peer, connection);
          });
        });
    if (!queued) {
      {
        std::lock_guard lock(connection->mutex);
        connection->work.reset();
      }
      write(peer, connection,
            error_now(ErrorCode::overloaded,
                      "Too many analyses are waiting; try again in a few seconds"),
            reply);
    }
    return queued;
  }

  // Runs `work` on the Pistache thread of this handler's transport (the
  // thread of the connections it serves). Pistache 0.0.5's promises are not
  // safe to chain on one thread while another resolves them (ThreadSanitizer
  // shows the race when a pool worker writes an answer and waits for the
  // write), so answers made on the pool are written from there. The vehicle
  // is Pistache's own timer queue: a 1 ms one-shot timerfd whose promise has
  // its continuation attached before the transport is handed the timer.
  void on_connection_thread(std::function<void()> work) {
    const int timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (timer < 0) {
      // Out of file descriptors: answering from here risks the race above,
      // but leaving the client without an answer is worse.
      std::fprintf(stderr, "error: no timer for an answer: %s\n", std::strerror(errno));
      work();
      return;
    }
    std::optional<P::Async::Deferred<uint64_t>> handed;
    P::Async::Promise<uint64_t> fired(
        [&handed](P::Async::Deferred<uint64_t> deferred) { handed.emplace(std::move(deferred)); });
    auto run = [timer, work](auto&&) {
      ::close(timer);
      work();
    };
    fired.then([run](uint64_t n) { run(n); }, [run](std::exception_ptr& e) { run(e); });
    transport()->armTimer(timer, std::chrono::milliseconds(1), std::move(*handed));
  }

  // Writes the answer (HEAD: its headers only), logs it, and closes the
  // connection after it when the client asked for that or the stream is
  // broken. On the connection's thread only (see on_connection_thread).
  void write(const std::shared_ptr<P::Tcp::Peer>& peer,
             const std::shared_ptr<Connection>& connection, Response response,
             const Reply& reply) {
    const std::size_t max_body = connections_->context().limits.max_response_bytes;
    if (response.payload().size() > max_body) {
      response = error_now(ErrorCode::payload_too_large,
                           "The answer would be " + std::to_string(response.payload().size()) +
                               " bytes, over the limit; narrow the selection or lower 'limit'");
    }
    wire::add_security_headers(response);
    bool close = !reply.keep_alive;
    {
      std::lock_guard lock(connection->mutex);
      if (connection->gone) {
        wire::log_request(reply.method, reply.path, response.status, 0, reply.started);
        return;
      }
      close = close || connection->closing;
      if (close) connection->closing = true;
      connections_->write_started();
    }
    // Runs once the bytes are written (or could not be): only then may the
    // socket be shut.
    auto finished = [connections = connections_, connection, close] {
      if (close) {
        std::lock_guard lock(connection->mutex);
        if (!connection->gone) ::shutdown(connection->fd, SHUT_RDWR);
      }
      connections->write_finished();
    };
    const std::string head = wire::head(response, reply.version, !close);
    // HEAD: the GET answer's headers, Content-Length included, and no body.
    const std::string_view body =
        reply.head || wire::has_no_content(response.status) ? "" : response.payload();
    send(peer, connection, head, body, std::move(finished));
    wire::log_request(reply.method, reply.path, response.status, response.payload().size(),
                      reply.started);
  }

  // Puts head and body on the wire. When no earlier answer of the connection
  // waits in Pistache's write queue, straight to the socket from where the
  // bytes are (a cached answer's shared body is not copied); what the socket
  // does not take now, or everything behind a queued answer, goes through
  // Pistache's queue (a copy), which keeps the order and writes it when the
  // socket can take it. `finished` runs once the bytes are written or cannot be.
  void send(const std::shared_ptr<P::Tcp::Peer>& peer,
            const std::shared_ptr<Connection>& connection, std::string_view head,
            std::string_view body, std::function<void()> finished) {
    bool direct = false;
    {
      std::lock_guard lock(connection->mutex);
      direct = connection->queued_writes == 0 && !connection->gone;
    }
    const std::size_t sent = direct ? wire::send_now(connection->fd, head, body) : 0;
    const std::size_t total = head.size() + body.size();
    if (sent == wire::kBroken || sent == total) {
      finished();
      return;
    }
    std::string rest;
    rest.reserve(total - sent);
    if (sent < head.size()) {
      rest.append(head.substr(sent)).append(body);
    } else {
      rest.append(body.substr(sent - head.size()));
    }
    {
      std::lock_guard lock(connection->mutex);
      ++connection->queued_writes;
    }
    auto done = [connection, finished = std::move(finished)] {
      {
        std::lock_guard lock(connection->mutex);
        --connection->queued_writes;
      }
      finished();
    };
    try {
      const std::size_t size = rest.size();
      peer->send(P::RawBuffer(std::move(rest), size))
          .then([done](ssize_t) { done(); }, [done](std::exception_ptr&) { done(); });
    } catch (const std::exception&) {
      // The connection is gone; nothing more can be said to the client.
      done();
    }
  }

  std::shared_ptr<Connections> connections_;
};

// Connections the open-file limit leaves room for.
std::size_t connection_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 10000;
  return limit.rlim_cur > 2 * kReservedFiles ? limit.rlim_cur - kReservedFiles : kReservedFiles;
}

ServerOptions resolved(ServerOptions options) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (options.threads == 0) options.threads = std::max(2u, cores);
  if (options.analysis_workers == 0) options.analysis_workers = cores;
  if (!options.analysis_queue) options.analysis_queue = 4 * options.analysis_workers;
  const std::size_t most = connection_limit();
  options.max_connections =
      options.max_connections == 0 ? most : std::min(options.max_connections, most);
  return options;
}

}  // namespace

struct Server::Impl {
  std::shared_ptr<Connections> connections;
  std::unique_ptr<P::Http::Endpoint> endpoint;
  bool running = false;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { shutdown(); }

Expected<std::unique_ptr<Server>> Server::start(const ServerOptions& requested,
                                                const Context& context) {
  const std::string where = requested.bind + ":" + std::to_string(requested.port);
  const ServerOptions options = resolved(requested);
  try {
    const P::Address address(options.bind, P::Port(options.port));
    auto impl = std::make_unique<Impl>();
    impl->connections = std::make_shared<Connections>(context, options);
    impl->endpoint = std::make_unique<P::Http::Endpoint>(address);
    auto endpoint_options = P::Http::Endpoint::options()
                                .threads(static_cast<int>(options.threads))
                                .flags(P::Tcp::Options::ReuseAddr)
                                // Idle connections are closed by Connections'
                                // reaper, which knows what is in progress;
                                // Pistache's own timer is kept out of its way.
                                .keepaliveTimeout(std::chrono::hours(24))
                                // Pistache answers requests over its own limit
                                // with a plain-text 413; ours (checked in route())
                                // is lower, so clients get the JSON error body and
                                // Pistache's limit only stops the absurd.
                                .maxRequestSize(context.limits.max_request_bytes * 16)
                                .maxResponseSize(context.limits.max_response_bytes + 64 * 1024);
    impl->endpoint->init(endpoint_options);
    impl->endpoint->setHandler(P::Http::make_handler<Adapter>(impl->connections));
    impl->endpoint->serveThreaded();
    impl->running = true;
    return std::unique_ptr<Server>(new Server(std::move(impl)));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::unavailable, "Cannot listen on " + where + ": " + e.what());
  }
}

std::uint16_t Server::port() const {
  return static_cast<std::uint16_t>(impl_->endpoint->getPort());
}

std::size_t Server::max_connections() const {
  return impl_->connections->options().max_connections;
}

bool Server::drain(std::chrono::milliseconds grace) {
  Connections& connections = *impl_->connections;
  connections.start_draining();
  const auto until = Clock::now() + grace;
  while (!connections.idle()) {
    if (Clock::now() >= until) {
      // Past the grace period: stop the analyses; their clients get a 503.
      connections.cancel_all();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      return connections.idle();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void Server::shutdown() {
  if (impl_ && impl_->running) {
    impl_->running = false;
    impl_->connections->cancel_all();
    // The pool's jobs write through Pistache's threads: they finish first.
    impl_->connections->stop();
    impl_->endpoint->shutdown();
  }
}

}  // namespace hotspot::http
