// The Pistache adapter: splits each connection's bytes into requests (to
// keep every request's raw target), has Pistache parse them, converts them
// into http::Request, calls handle(), writes the Response, and logs one line
// per request.
#include "hotspot/http/server.hpp"

#include "hotspot/http/errors.hpp"
#include "hotspot/http/log.hpp"
#include "hotspot/http/request_stream.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <ostream>
#include <string_view>
#include <thread>

namespace hotspot::http {
namespace {

namespace P = Pistache;
using Clock = std::chrono::steady_clock;

// Where a connection keeps its RequestStream among the peer's data.
constexpr const char* kStreamData = "hotspot.RequestStream";
constexpr const char* kInternalBody = R"({"error":{"code":"internal","message":"Internal error"}})";

// The page may run only its own scripts, from this server; it is never
// framed. Styles allow 'unsafe-inline': the page's HTML templates (innerHTML)
// carry style="" attributes. Images allow data: (Leaflet) and any http(s)
// host: the optional basemap's tiles come from an address the user gives.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: http: https:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The headers every answer carries, whoever made it.
void add_security_headers(Response& response) {
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (response.content_type.starts_with("text/html")) {
    response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  }
}

// One line per answer; method and path come from the client, so they are
// escaped (no control bytes, no invalid UTF-8: a line cannot be forged).
void log_request(std::string_view method, std::string_view path, int status, std::size_t bytes,
                 Clock::time_point started) {
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  std::fprintf(stderr, "%s %s %d %zu %.1fms\n", escape_for_log(method).c_str(),
               escape_for_log(path).c_str(), status, bytes, ms);
}

// The status line and headers of an answer to HEAD: what Pistache would
// write before the body, with the body's Content-Length, and no body.
std::string head_only(const Response& response, P::Http::Version version, bool keep_alive) {
  std::string out = version == P::Http::Version::Http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(response.status) + " " +
         P::Http::codeString(static_cast<P::Http::Code>(response.status)) + "\r\n";
  out += keep_alive ? "Connection: Keep-Alive\r\n" : "Connection: Close\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  out += "Content-Type: " + response.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
  return out;
}

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
  return out;
}

// A header with any name. Pistache 0.0.5 writes only typed headers (raw
// ones are dropped on output), so each of ours travels as one of these.
class AnyHeader : public P::Http::Header::Header {
 public:
  AnyHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& stream) const override { stream << value_; }
#ifdef SAFE_HEADER_CAST
  // Only used by typed look-ups, which never ask for these headers.
  std::uint64_t hash() const override { return P::Http::Header::detail::hash(name_.c_str()); }
#endif

 private:
  std::string name_;
  std::string value_;
};

class Adapter : public P::Http::Handler {
 public:
  HTTP_PROTOTYPE(Adapter)

  explicit Adapter(const Context* context) : context_(context) {}

  // Not reached: onInput below answers every request itself, with its raw
  // target. Pistache still requires the override.
  void onRequest(const P::Http::Request&, P::Http::ResponseWriter writer) override {
    writer.send(P::Http::Code::Internal_Server_Error, kInternalBody);
  }

 private:
  // Http::Handler's onConnection and onInput are private, so they are
  // replaced rather than extended. This one sets up the parser Pistache's
  // would, and the connection's RequestStream.
  void onConnection(const std::shared_ptr<P::Tcp::Peer>& peer) override {
    peer->putData(ParserData, std::make_shared<P::Http::RequestParser>(getMaxRequestSize()));
    peer->putData(kStreamData, std::make_shared<RequestStream>(getMaxRequestSize()));
  }

  // Bytes as read; they may hold part of a request or several pipelined ones.
  void onInput(const char* buffer, std::size_t len,
               const std::shared_ptr<P::Tcp::Peer>& peer) override {
    auto stream = std::static_pointer_cast<RequestStream>(peer->getData(kStreamData));
    stream->append(std::string_view(buffer, len));
    using Kind = RequestStream::Next::Kind;
    for (auto next = stream->next(); next.kind != Kind::incomplete; next = stream->next()) {
      if (next.kind == Kind::request) {
        parse_and_answer(next, peer);
      } else {
        refuse(next, peer);
      }
    }
  }

  // Pistache's parser is given one whole request at a time: it discards
  // whatever follows a complete request in its buffer.
  void parse_and_answer(const RequestStream::Next& raw, const std::shared_ptr<P::Tcp::Peer>& peer) {
    auto parser = getParser(peer);
    parser->reset();
    auto& request = parser->request;
    try {
      if (!parser->feed(raw.bytes.data(), raw.bytes.size()) ||
          parser->parse() != P::Http::Private::State::Done) {
        throw P::Http::HttpError(P::Http::Code::Bad_Request, "The request could not be parsed");
      }
      P::Http::ResponseWriter writer(request.version(), transport(), this, peer);
      request.copyAddress(peer->address());
      // As Pistache itself does: answer with the request's Connection header.
      const auto connection = request.headers().tryGet<P::Http::Header::Connection>();
      const auto control = connection ? connection->control() : P::Http::ConnectionControl::Close;
      writer.headers().add<P::Http::Header::Connection>(control);
      peer->setIdle(false);
      answer(request, raw, std::move(writer), peer,
             control == P::Http::ConnectionControl::KeepAlive);
    } catch (const P::Http::HttpError& e) {
      // Pistache's parser refuses the request (unknown method, HTTP version,
      // bad header); the client gets the reason as a JSON error.
      send_now(peer, bad_request(e.reason(), e.code()), false, raw.method, raw.target);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: while reading a request: %s\n", e.what());
      send_now(peer, Response{500, "application/json", kInternalBody, {}}, false,
               raw.method, raw.target);
    }
    parser->reset();
  }

  // Bytes that cannot be split into requests. Where the next request would
  // start is unknown, so the connection is told to close.
  void refuse(const RequestStream::Next& raw, const std::shared_ptr<P::Tcp::Peer>& peer) {
    send_now(peer,
             raw.kind == RequestStream::Next::Kind::too_large
                 ? error_response(make_error(ErrorCode::payload_too_large, raw.reason))
                 : bad_request(raw.reason),
             true, raw.method, raw.target);
  }

  // An answer that does not come from handle(), logged as one.
  void send_now(const std::shared_ptr<P::Tcp::Peer>& peer, Response response, bool close,
                std::string_view method = "?", std::string_view path = "?") {
    add_security_headers(response);
    try {
      P::Http::ResponseWriter writer(P::Http::Version::Http11, transport(), this, peer);
      if (close) {
        writer.headers().add<P::Http::Header::Connection>(P::Http::ConnectionControl::Close);
      }
      for (const auto& [name, value] : response.headers) {
        writer.headers().add(std::make_shared<AnyHeader>(name, value));
      }
      writer.headers().add(std::make_shared<AnyHeader>("Content-Type", response.content_type));
      writer.send(static_cast<P::Http::Code>(response.status), response.body);
    } catch (const std::exception&) {
      // The connection is gone; nothing more can be said to the client.
    }
    log_request(method.empty() ? "?" : method, path.empty() ? "?" : path, response.status,
                response.body.size(), Clock::now());
  }

  void answer(const P::Http::Request& in, const RequestStream::Next& raw,
              P::Http::ResponseWriter writer, const std::shared_ptr<P::Tcp::Peer>& peer,
              bool keep_alive) {
    const auto started = Clock::now();
    Response response;
    std::string method = "?", path = in.resource();
    try {
      auto request = convert(in, raw);
      if (request) {
        method = request->method;
        path = request->path;
        response = handle(*request, *context_);
      } else {
        method = P::Http::methodString(in.method());
        response = error_response(request.error());
      }
      if (response.body.size() > context_->limits.max_response_bytes) {
        response = error_response(make_error(
            ErrorCode::payload_too_large,
            "The answer would be " + std::to_string(response.body.size()) +
                " bytes, over the limit; narrow the selection or lower 'limit'"));
      }
      add_security_headers(response);
      if (in.method() == P::Http::Method::Head) {
        // Pistache writes a Content-Length of what it sends; an answer to
        // HEAD has the GET body's length and no body, so it is written here.
        const std::string bytes = head_only(response, in.version(), keep_alive);
        peer->send(P::RawBuffer(bytes, bytes.size()));
        peer->setIdle(true);  // answered: no request is pending on the connection
      } else {
        for (const auto& [name, value] : response.headers) {
          writer.headers().add(std::make_shared<AnyHeader>(name, value));
        }
        writer.headers().add(std::make_shared<AnyHeader>("Content-Type", response.content_type));
        writer.send(static_cast<P::Http::Code>(response.status), response.body);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: %s %s: while answering: %s\n", escape_for_log(method).c_str(),
                   escape_for_log(path).c_str(), e.what());
      response.status = 500;
      response.body.clear();
      try {
        writer.send(P::Http::Code::Internal_Server_Error, kInternalBody);
      } catch (...) {
        // The connection is gone; nothing more can be said to the client.
      }
    }
    log_request(method, path, response.status, response.body.size(), started);
  }

  const Context* context_;
};

}  // namespace

struct Server::Impl {
  std::unique_ptr<P::Http::Endpoint> endpoint;
  bool running = false;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { shutdown(); }

Expected<std::unique_ptr<Server>> Server::start(const ServerOptions& options,
                                                const Context& context) {
  const std::string where = options.bind + ":" + std::to_string(options.port);
  try {
    const P::Address address(options.bind, P::Port(options.port));
    auto impl = std::make_unique<Impl>();
    impl->endpoint = std::make_unique<P::Http::Endpoint>(address);
    const unsigned threads =
        options.threads ? options.threads : std::max(2u, std::thread::hardware_concurrency());
    auto endpoint_options = P::Http::Endpoint::options()
                                .threads(static_cast<int>(threads))
                                .flags(P::Tcp::Options::ReuseAddr)
                                // Pistache answers requests over its own limit
                                // with a plain-text 413; ours (checked in route())
                                // is lower, so clients get the JSON error body and
                                // Pistache's limit only stops the absurd.
                                .maxRequestSize(context.limits.max_request_bytes * 16)
                                .maxResponseSize(context.limits.max_response_bytes + 64 * 1024);
    impl->endpoint->init(endpoint_options);
    impl->endpoint->setHandler(P::Http::make_handler<Adapter>(&context));
    impl->endpoint->serveThreaded();
    impl->running = true;
    return std::unique_ptr<Server>(new Server(std::move(impl)));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::unavailable, "Cannot listen on " + where + ": " + e.what());
  }
}

std::uint16_t Server::port() const {
  return static_cast<std::uint16_t>(static_cast<std::uint16_t>(impl_->endpoint->getPort()));
}

void Server::shutdown() {
  if (impl_ && impl_->running) {
    impl_->running = false;
    impl_->endpoint->shutdown();
  }
}

}  // namespace hotspot::http
