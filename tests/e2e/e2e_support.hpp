#pragma once
// Helpers for end-to-end tests: start the real hotspotd as a child process on
// a free port and talk HTTP/1.1 to it over a plain loopback socket.
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace e2e {

struct HttpAnswer {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
  std::string header(const std::string& name) const {
    // Case-insensitive search for "\r\nName: value".
    std::string lower_head = head, lower_name = name;
    for (auto& c : lower_head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : lower_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = lower_head.find("\r\n" + lower_name + ":");
    if (at == std::string::npos) return "";
    const auto start = head.find_first_not_of(' ', at + 3 + name.size());
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

// Sends raw request bytes and reads until the server closes the connection
// or the answer is complete; gives up after `wait_seconds` of silence.
inline HttpAnswer send_raw(int port, const std::string& raw, int wait_seconds = 10) {
  HttpAnswer answer;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return answer;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{wait_seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return answer;
  }
  std::size_t sent = 0;
  while (sent < raw.size()) {
    const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and close before reading it all
    sent += static_cast<std::size_t>(n);
  }
  std::string response;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
    // Stop once the announced body is complete (keep-alive servers do not close).
    const auto end = response.find("\r\n\r\n");
    if (end != std::string::npos) {
      HttpAnswer partial;
      partial.head = response.substr(0, end + 2);
      const std::string length = partial.header("Content-Length");
      if (!length.empty() && response.size() >= end + 4 + std::stoul(length)) break;
    }
  }
  ::close(fd);
  const auto end = response.find("\r\n\r\n");
  if (end == std::string::npos || response.size() < 12) return answer;
  answer.head = response.substr(0, end + 2);
  answer.body = response.substr(end + 4);
  answer.status = std::stoi(response.substr(9, 3));
  return answer;
}

inline HttpAnswer request(int port, const std::string& method, const std::string& target) {
  return send_raw(port, method + " " + target +
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

// One keep-alive connection: requests go out as given (whole, in pieces or
// pipelined) and answers are read back one at a time.
class Connection {
 public:
  // `wait_seconds`: how long read_answer waits for the server.
  explicit Connection(int port, int wait_seconds = 10) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{wait_seconds, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    // Each send leaves at once, so pieces sent apart arrive in reads apart.
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const { return fd_ >= 0; }

  bool send(const std::string& bytes) {
    std::size_t sent = 0;
    while (fd_ >= 0 && sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return sent == bytes.size();
  }

  // The next answer (its body as long as its Content-Length says); status 0
  // if the server closes or says nothing for the wait first. An answer to
  // HEAD (`head`) has no body whatever its Content-Length says.
  HttpAnswer read_answer(bool head = false) {
    HttpAnswer answer;
    char buffer[65536];
    while (fd_ >= 0) {
      const auto end = pending_.find("\r\n\r\n");
      if (end != std::string::npos && pending_.size() >= 12) {
        answer.head = pending_.substr(0, end + 2);
        const std::string length = answer.header("Content-Length");
        const std::size_t total =
            end + 4 + (head || length.empty() ? 0 : std::stoul(length));
        if (pending_.size() >= total) {
          answer.body = pending_.substr(end + 4, total - end - 4);
          answer.status = std::stoi(pending_.substr(9, 3));
          pending_.erase(0, total);
          return answer;
        }
      }
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      pending_.append(buffer, static_cast<std::size_t>(n));
    }
    return HttpAnswer{};
  }

 private:
  int fd_ = -1;
  std::string pending_;  // bytes read past the answers returned so far
};

struct Child {
  pid_t pid = -1;
  int port = 0;
  std::string banner;  // the first line hotspotd printed
};

// Starts build/hotspotd with `args` (stderr to `log_path`, or /dev/null when
// empty) and waits up to 60 s for "hotspotd listening on http://HOST:PORT/".
// Tests that are not about time limits run with a generous --deadline: the
// default 5 s is a production setting, and a sanitizer build on a busy CI
// machine can take longer than that over a legitimate analysis.
inline std::vector<std::string> with_test_deadline(std::vector<std::string> args) {
  if (std::find(args.begin(), args.end(), "--deadline") == args.end()) {
    args.insert(args.end(), {"--deadline", "120"});
  }
  return args;
}

inline Child start_hotspotd(const std::vector<std::string>& given_args,
                            const std::string& log_path = {}) {
  const std::vector<std::string> args = with_test_deadline(given_args);
  Child child;
  int out[2];
  if (::pipe(out) != 0) return child;
  child.pid = ::fork();
  if (child.pid < 0) return child;
  if (child.pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    const int log = log_path.empty()
                        ? ::open("/dev/null", O_WRONLY)
                        : ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(log, STDERR_FILENO);
    const std::string binary = HOTSPOT_BINARY_DIR "/hotspotd";
    std::vector<char*> argv{const_cast<char*>(binary.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string line;
  pollfd p{out[0], POLLIN, 0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    if (::poll(&p, 1, 500) <= 0) continue;
    char c[256];
    const ssize_t n = ::read(out[0], c, sizeof c);
    if (n <= 0) break;
    line.append(c, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  child.banner = line;
  const auto colon = line.rfind(':');
  if (line.starts_with("hotspotd listening on http://") && colon != std::string::npos) {
    child.port = std::atoi(line.c_str() + colon + 1);
  }
  return child;
}

// Sends `signal` and waits up to 10 s for the child to exit; its wait status, or -1.
inline int stop(Child& child, int signal = SIGTERM) {
  if (child.pid <= 0) return -1;
  ::kill(child.pid, signal);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(child.pid, &status, WNOHANG) == child.pid) {
      child.pid = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(child.pid, SIGKILL);
  ::waitpid(child.pid, nullptr, 0);
  child.pid = -1;
  return -1;
}

// A small incident CSV: `rows` criminal-damage rows in Durham, one night each.
inline void write_incidents(const std::filesystem::path& path, int rows) {
  std::ofstream out(path);
  out << "id,lon,lat,category,occurred_at\n";
  for (int i = 0; i < rows; ++i) {
    out << "r" << i << ",-1.5757,54.7768,Criminal damage and arson,2024-06-0" << (1 + i % 9)
        << "T22:30:00+01:00\n";
  }
}

// A real token from `hotspot token new --role ROLE --name NAME`; its line is
// appended to `tokens_file`. Empty when the command's output cannot be read.
inline std::string new_token(const std::filesystem::path& tokens_file, const std::string& role,
                             const std::string& name) {
  const std::string command = std::string(HOTSPOT_BINARY_DIR "/hotspot") + " token new --role " +
                              role + " --name " + name + " 2>/dev/null";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string text;
  char buffer[512];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) text += buffer;
  if (pipe != nullptr) ::pclose(pipe);
  const auto token_at = text.find("token: ");
  const auto line_at = text.find("tokens-file line: ");
  if (token_at == std::string::npos || line_at == std::string::npos) return "";
  std::ofstream(tokens_file, std::ios::app)
      << text.substr(line_at + 18, text.find('\n', line_at) - line_at - 18) << "\n";
  return text.substr(token_at + 7, text.find('\n', token_at) - token_at - 7);
}

// A fresh directory for one test, named after it and this process.
inline std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

// A GET answer's JSON body; null unless the status is 200.
inline nlohmann::json get_json(int port, const std::string& target) {
  const auto answer = request(port, "GET", target);
  if (answer.status != 200) return nlohmann::json();
  return nlohmann::json::parse(answer.body, nullptr, false);
}

// The incident count /api/layers reports; 0 when it cannot be read.
inline std::size_t incident_count(int port) {
  const nlohmann::json layers = get_json(port, "/api/layers");
  if (!layers.is_object()) return 0;
  for (const auto& layer : layers.value("layers", nlohmann::json::array())) {
    if (layer.value("name", "") == "incidents") return layer.value("features", std::size_t{0});
  }
  return 0;
}

// A test that starts its own hotspotd, its stderr in a log file, and
// stops it afterwards.
class ServerTest : public ::testing::Test {
 protected:
  // `args` after --port 0 --threads 2.
  void start(const std::string& name, std::vector<std::string> args = {}) {
    log_path_ = ::testing::TempDir() + name + "_" + std::to_string(::getpid()) + ".log";
    args.insert(args.begin(), {"--port", "0", "--threads", "2"});
    child_ = start_hotspotd(args, log_path_);
    ASSERT_GT(child_.port, 0) << "no banner from hotspotd: '" << child_.banner << "'";
  }
  void TearDown() override {
    stop(child_);
    std::remove(log_path_.c_str());
  }

  int port() const { return child_.port; }

  // The server's stderr so far.
  std::string log() const {
    std::ifstream in(log_path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  std::string log_path_;
  Child child_;
};

}  // namespace e2e
