// The accept experiment of Cloudflare's 2017 post ("Why does one NGINX worker take all the load?"):
// processes share one listening socket and each waits for a connection in one of two ways, a blocking
// accept() (the kernel wakes the waiter that has waited longest) or epoll_wait() on an epoll set that
// holds the socket with EPOLLEXCLUSIVE (Linux 4.5+; the set stays registered, so the same process is
// woken while it is idle). The wait runs on libuv's thread pool and resolves a promise once a connection
// was accepted (and closed at once: only who took it matters).
#include <napi.h>

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <unistd.h>
#ifdef __linux__
#include <sys/epoll.h>
#endif

#include "errors.h"

namespace rb_accept {
namespace {

using rb::ErrnoError;
using rb::ThrowErrno;
using rb::ThrowType;

class AcceptWorker : public Napi::AsyncWorker {
 public:
  AcceptWorker(Napi::Env env, int fd, int epfd)
      : Napi::AsyncWorker(env), fd_(fd), epfd_(epfd), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    for (;;) {
#ifdef __linux__
      if (epfd_ >= 0) {
        struct epoll_event ev;
        if (epoll_wait(epfd_, &ev, 1, -1) < 0) {
          if (errno == EINTR) continue;
          fail(errno, "epoll_wait");
          return;
        }
      }
#endif
      int c = accept(fd_, nullptr, nullptr);
      if (c >= 0) {
        close(c);
        return;
      }
      // Another waiter took it (an exclusive wake-up may wake more than one), or a signal: wait again.
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED) continue;
      fail(errno, "accept");
      return;
    }
  }
  void OnOK() override {
    if (err_ == 0) {
      deferred_.Resolve(Env().Undefined());
    } else {
      deferred_.Reject(ErrnoError(Env(), err_, call_, "").Value());
    }
  }

 private:
  void fail(int err, const char* call) {
    err_ = err;
    call_ = call;
  }
  int fd_;
  int epfd_;
  int err_ = 0;
  const char* call_ = "";
  Napi::Promise::Deferred deferred_;
};

bool IntArg(const Napi::CallbackInfo& info, size_t i) { return info.Length() > i && info[i].IsNumber(); }

// setBlocking(fd, on): clears or sets O_NONBLOCK on the socket (shared by every process holding it).
Napi::Value SetBlocking(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IntArg(info, 0) || info.Length() < 2 || !info[1].IsBoolean()) return ThrowType(env, "setBlocking(fd, on)");
  int fd = info[0].As<Napi::Number>().Int32Value();
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return ThrowErrno(env, errno, "fcntl", "F_GETFL");
  flags = info[1].As<Napi::Boolean>().Value() ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK);
  if (fcntl(fd, F_SETFL, flags) < 0) return ThrowErrno(env, errno, "fcntl", "F_SETFL");
  return env.Undefined();
}

// acceptWaiter(fd): an epoll set holding fd with EPOLLIN | EPOLLEXCLUSIVE; its fd. Linux only (ENOSYS elsewhere).
Napi::Value AcceptWaiter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IntArg(info, 0)) return ThrowType(env, "acceptWaiter(fd)");
#if defined(__linux__) && defined(EPOLLEXCLUSIVE)
  int fd = info[0].As<Napi::Number>().Int32Value();
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) return ThrowErrno(env, errno, "epoll_create1", "");
  struct epoll_event ev = {};
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  ev.data.fd = fd;
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
    int e = errno;
    close(ep);
    return ThrowErrno(env, e, "epoll_ctl", "EPOLL_CTL_ADD EPOLLEXCLUSIVE");
  }
  return Napi::Number::New(env, ep);
#else
  return ThrowErrno(env, ENOSYS, "epoll_ctl", "EPOLLEXCLUSIVE");
#endif
}

// acceptOnce(fd, epfd): resolves once a connection was accepted on fd (and closed); epfd -1 waits in a
// blocking accept(), which needs a blocking socket (a non-blocking one would spin); else in epoll_wait(epfd).
Napi::Value AcceptOnce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IntArg(info, 0) || !IntArg(info, 1)) return ThrowType(env, "acceptOnce(fd, epfd)");
  int fd = info[0].As<Napi::Number>().Int32Value();
  int epfd = info[1].As<Napi::Number>().Int32Value();
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return ThrowErrno(env, errno, "fcntl", "F_GETFL");
  if (epfd < 0 && (flags & O_NONBLOCK) != 0) return ThrowType(env, "acceptOnce: a blocking accept() needs a blocking socket (setBlocking(fd, true))");
  if (epfd >= 0 && (flags & O_NONBLOCK) == 0) return ThrowType(env, "acceptOnce: waiting in epoll needs a non-blocking socket (setBlocking(fd, false))");
  AcceptWorker* w = new AcceptWorker(env, fd, epfd);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// connectLoopback(port): a blocking connect() from this thread to 127.0.0.1:port; the connected fd. On
// loopback the handshake completes inside the call, on this thread's CPU, so the kernel's choice of a
// listening socket can be read from the queues at once (the runtime probe of SO_INCOMING_CPU selection).
Napi::Value ConnectLoopback(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IntArg(info, 0)) return ThrowType(env, "connectLoopback(port)");
  int port = info[0].As<Napi::Number>().Int32Value();
  if (port <= 0 || port > 65535) return ThrowType(env, "connectLoopback: port must be 1 to 65535");
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ThrowErrno(env, errno, "socket", "AF_INET");
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int r;
  do r = connect(fd, reinterpret_cast<struct sockaddr*>(&a), sizeof a); while (r < 0 && errno == EINTR);
  if (r < 0) {
    int e = errno;
    close(fd);
    return ThrowErrno(env, e, "connect", "127.0.0.1");
  }
  return Napi::Number::New(env, fd);
}

}  // namespace

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("connectLoopback", Napi::Function::New(env, ConnectLoopback));
  exports.Set("setBlocking", Napi::Function::New(env, SetBlocking));
  exports.Set("acceptWaiter", Napi::Function::New(env, AcceptWaiter));
  exports.Set("acceptOnce", Napi::Function::New(env, AcceptOnce));
}

}  // namespace rb_accept
