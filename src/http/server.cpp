// The Pistache adapter: converts Pistache requests into http::Request, calls
// handle(), writes the Response, and logs one line per request.
#include "hotspot/http/server.hpp"

#include "hotspot/http/errors.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <ostream>
#include <thread>

namespace hotspot::http {
namespace {

namespace P = Pistache;

// Converts what Pistache parsed. Pistache 0.0.5 hands over the raw
// (undecoded) path and query values and keeps only the first of repeated
// query names, so the strict decoding happens here.
Expected<Request> convert(const P::Http::Request& in) {
  Request out;
  out.method = P::Http::methodString(in.method());
  auto path = percent_decode(in.resource(), false);
  if (!path) return path.error();
  out.path = std::move(*path);
  std::size_t size = in.resource().size() + in.body().size() + 16;
  for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
    auto name = percent_decode(it->first, true);
    if (!name) return name.error();
    auto value = percent_decode(it->second, true);
    if (!value) return value.error();
    size += it->first.size() + it->second.size() + 2;
    if (name->empty() && value->empty()) continue;  // "?&&": empty segments
    out.query.emplace_back(std::move(*name), std::move(*value));
  }
  // The Request keeps query pairs in a stable order (Pistache's map has none).
  std::sort(out.query.begin(), out.query.end());
  for (const auto& header : in.headers().rawList()) {
    std::string name = header.first;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    size += name.size() + header.second.value().size() + 4;
    out.headers.emplace_back(std::move(name), header.second.value());
  }
  out.size_bytes = size;
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

  void onRequest(const P::Http::Request& in, P::Http::ResponseWriter writer) override {
    const auto started = std::chrono::steady_clock::now();
    Response response;
    std::string method = "?", path = in.resource();
    try {
      auto request = convert(in);
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
      for (const auto& [name, value] : response.headers) {
        writer.headers().add(std::make_shared<AnyHeader>(name, value));
      }
      writer.headers().add(std::make_shared<AnyHeader>("Content-Type", response.content_type));
      writer.send(static_cast<P::Http::Code>(response.status), response.body);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: %s %s: while answering: %s\n", method.c_str(), path.c_str(),
                   e.what());
      response.status = 500;
      response.body.clear();
      try {
        writer.send(P::Http::Code::Internal_Server_Error,
                    R"({"error":{"code":"internal","message":"Internal error"}})");
      } catch (...) {
        // The connection is gone; nothing more can be said to the client.
      }
    }
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - started)
                          .count();
    std::fprintf(stderr, "%s %s %d %zu %.1fms\n", method.c_str(), path.c_str(), response.status,
                 response.body.size(), ms);
  }

 private:
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
