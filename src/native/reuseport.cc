// The whole native surface of reuseport-bench: create a TCP socket with the
// port-sharing options set, bind it, optionally listen, read options back, close;
// steering, dying with the parent; CPU affinity in affinity.cc and the kernel's
// view of listening sockets in diag.cc.
// Node cannot bind without listening, nor set SO_REUSEPORT before bind on Node 20,
// which is why this exists. Every failure becomes a JS Error whose `code` is the
// errno name and whose message names the call; the fd is closed on every error path.
// Platform differences live here and nowhere else, behind #ifdefs, and are
// reported to JS by capabilities().

#include <napi.h>

#include "errors.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/filter.h>
#include <sys/prctl.h>
#elif defined(__FreeBSD__)
#include <sys/procctl.h>
#endif
#include <csignal>

// Platform facts, overridable with -D so the FreeBSD paths can be compiled
// (not run) on Linux by the CI check in test/native-freebsd-compile.test.ts.
#ifndef RB_REUSEPORT_BALANCES
#if defined(__linux__)
#define RB_REUSEPORT_BALANCES 1  // plain SO_REUSEPORT spreads TCP connections (Linux 3.9+)
#else
#define RB_REUSEPORT_BALANCES 0  // BSDs: only SO_REUSEPORT_LB does
#endif
#endif
#ifndef RB_HAVE_SIN_LEN
#if defined(__FreeBSD__) || defined(__APPLE__) || defined(__OpenBSD__) || defined(__NetBSD__)
#define RB_HAVE_SIN_LEN 1
#else
#define RB_HAVE_SIN_LEN 0
#endif
#endif

namespace rb_diag {
void Init(Napi::Env env, Napi::Object exports);  // diag.cc: listening sockets as the kernel sees them
}
namespace rb_affinity {
void Init(Napi::Env env, Napi::Object exports);  // affinity.cc: pinning processes and threads to CPUs
}
namespace rb_accept {
void Init(Napi::Env env, Napi::Object exports);  // accept.cc: waiting for a connection as Cloudflare's experiment did
}
namespace rb_bpf {
void Init(Napi::Env env, Napi::Object exports);  // bpf.cc: eBPF reuseport steering (maps, programs, ids)
}

namespace {

using rb::ThrowErrno;
using rb::ThrowType;

struct OptionSpec {
  int level;
  int name;
  bool known;
};

// Maps an option's name to its level and number; known=false where this
// platform does not define it.
OptionSpec LookupOption(const std::string& n) {
  if (n == "SO_REUSEADDR") return {SOL_SOCKET, SO_REUSEADDR, true};
#ifdef SO_REUSEPORT
  if (n == "SO_REUSEPORT") return {SOL_SOCKET, SO_REUSEPORT, true};
#endif
#ifdef SO_REUSEPORT_LB
  if (n == "SO_REUSEPORT_LB") return {SOL_SOCKET, SO_REUSEPORT_LB, true};
#endif
#ifdef IPV6_V6ONLY
  if (n == "IPV6_V6ONLY") return {IPPROTO_IPV6, IPV6_V6ONLY, true};
#endif
#ifdef SO_ACCEPTCONN
  if (n == "SO_ACCEPTCONN") return {SOL_SOCKET, SO_ACCEPTCONN, true};
#endif
  return {0, 0, false};
}

bool GetInt(const Napi::Object& o, const char* key, int* out) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) return false;
  *out = v.As<Napi::Number>().Int32Value();
  return true;
}

bool GetBool(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  return v.IsBoolean() && v.As<Napi::Boolean>().Value();
}

// Fills `ss` from a textual IPv4/IPv6 address and a port. Returns the length, 0 if unparsable.
socklen_t ParseAddress(int family, const std::string& host, int port, sockaddr_storage* ss) {
  std::memset(ss, 0, sizeof(*ss));
  if (family == 4) {
    auto* sin = reinterpret_cast<sockaddr_in*>(ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &sin->sin_addr) != 1) return 0;
#if RB_HAVE_SIN_LEN
    sin->sin_len = sizeof(sockaddr_in);
#endif
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(ss);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET6, host.c_str(), &sin6->sin6_addr) != 1) return 0;
#if RB_HAVE_SIN_LEN
  sin6->sin6_len = sizeof(sockaddr_in6);
#endif
  return sizeof(sockaddr_in6);
}

// open({ family, host, port, reuseaddr, reuseport, reuseportLb, incomingCpu, v6only, backlog, datagram }) -> fd
// backlog < 0 means bind only (no listen), as in the article's first experiment; datagram: a UDP socket
// (SOCK_DGRAM), which is only ever bound.
Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) return ThrowType(env, "open(options): options must be an object");
  Napi::Object o = info[0].As<Napi::Object>();
  int family = 0, port = 0, backlog = -1;
  if (!GetInt(o, "family", &family) || (family != 4 && family != 6))
    return ThrowType(env, "open: options.family must be 4 or 6");
  if (!GetInt(o, "port", &port) || port < 0 || port > 65535)
    return ThrowType(env, "open: options.port must be an integer from 0 to 65535");
  if (!o.Get("host").IsString()) return ThrowType(env, "open: options.host must be a string");
  GetInt(o, "backlog", &backlog);
  std::string host = o.Get("host").As<Napi::String>().Utf8Value();
  std::string where = (family == 6 ? "[" + host + "]" : host) + ":" + std::to_string(port);

  sockaddr_storage ss;
  socklen_t len = ParseAddress(family, host, port, &ss);
  if (len == 0) return ThrowType(env, "open: '" + host + "' is not an IPv" + std::to_string(family) + " address");

  bool datagram = GetBool(o, "datagram");
  if (datagram && backlog >= 0) return ThrowType(env, "open: a datagram socket takes no backlog (UDP does not listen)");
  int fd = socket(family == 4 ? AF_INET : AF_INET6, datagram ? SOCK_DGRAM : SOCK_STREAM, 0);
  if (fd < 0) return ThrowErrno(env, errno, "socket", where);
  // Not inherited by exec'd children unless handed over explicitly (dup2 clears it).
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
    int err = errno;
    close(fd);
    return ThrowErrno(env, err, "fcntl", "FD_CLOEXEC");
  }

  struct Want {
    const char* key;
    const char* option;
  };
  const Want wants[] = {{"reuseaddr", "SO_REUSEADDR"}, {"reuseport", "SO_REUSEPORT"}, {"reuseportLb", "SO_REUSEPORT_LB"}};
  for (const Want& w : wants) {
    if (!GetBool(o, w.key)) continue;
    OptionSpec spec = LookupOption(w.option);
    if (!spec.known) {
      close(fd);
      return ThrowErrno(env, ENOPROTOOPT, "setsockopt", std::string(w.option) + " (not defined on this platform)");
    }
    int one = 1;
    if (setsockopt(fd, spec.level, spec.name, &one, sizeof(one)) != 0) {
      int err = errno;
      close(fd);
      return ThrowErrno(env, err, "setsockopt", w.option);
    }
  }
  int incomingCpu = -1;
  if (GetInt(o, "incomingCpu", &incomingCpu) && incomingCpu >= 0) {
#ifdef SO_INCOMING_CPU
    if (setsockopt(fd, SOL_SOCKET, SO_INCOMING_CPU, &incomingCpu, sizeof(incomingCpu)) != 0) {
      int err = errno;
      close(fd);
      return ThrowErrno(env, err, "setsockopt", "SO_INCOMING_CPU");
    }
#else
    close(fd);
    return ThrowErrno(env, ENOPROTOOPT, "setsockopt", "SO_INCOMING_CPU (not defined on this platform)");
#endif
  }
  Napi::Value v6 = o.Get("v6only");
  if (family == 6 && v6.IsBoolean()) {
#ifdef IPV6_V6ONLY
    int val = v6.As<Napi::Boolean>().Value() ? 1 : 0;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &val, sizeof(val)) != 0) {
      int err = errno;
      close(fd);
      return ThrowErrno(env, err, "setsockopt", "IPV6_V6ONLY");
    }
#endif
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    int err = errno;
    close(fd);
    return ThrowErrno(env, err, "bind", where);
  }
  if (backlog >= 0 && listen(fd, backlog) != 0) {
    int err = errno;
    close(fd);
    return ThrowErrno(env, err, "listen", where);
  }
  return Napi::Number::New(env, fd);
}

bool FdArg(const Napi::CallbackInfo& info, int* fd) {
  if (info.Length() < 1 || !info[0].IsNumber()) return false;
  *fd = info[0].As<Napi::Number>().Int32Value();
  return *fd >= 0;
}

// listen(fd, backlog): for a socket opened bind-only.
Napi::Value Listen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = -1;
  if (!FdArg(info, &fd) || info.Length() < 2 || !info[1].IsNumber())
    return ThrowType(env, "listen(fd, backlog): fd and backlog must be numbers");
  if (listen(fd, info[1].As<Napi::Number>().Int32Value()) != 0) return ThrowErrno(env, errno, "listen", "fd " + std::to_string(fd));
  return env.Undefined();
}

// getOption(fd, name) -> integer value
Napi::Value GetOption(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = -1;
  if (!FdArg(info, &fd) || info.Length() < 2 || !info[1].IsString())
    return ThrowType(env, "getOption(fd, name): fd must be a number and name a string");
  std::string name = info[1].As<Napi::String>().Utf8Value();
  OptionSpec spec = LookupOption(name);
  if (!spec.known) return ThrowErrno(env, ENOPROTOOPT, "getsockopt", name + " (not defined on this platform)");
  int val = 0;
  socklen_t len = sizeof(val);
  if (getsockopt(fd, spec.level, spec.name, &val, &len) != 0) return ThrowErrno(env, errno, "getsockopt", name);
  return Napi::Number::New(env, val);
}

// localAddress(fd) -> { address, port, family }
Napi::Value LocalAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = -1;
  if (!FdArg(info, &fd)) return ThrowType(env, "localAddress(fd): fd must be a non-negative number");
  sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return ThrowErrno(env, errno, "getsockname", "");
  char buf[INET6_ADDRSTRLEN] = {0};
  Napi::Object out = Napi::Object::New(env);
  if (ss.ss_family == AF_INET) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
    out.Set("port", Napi::Number::New(env, ntohs(sin->sin_port)));
    out.Set("family", Napi::Number::New(env, 4));
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
    out.Set("port", Napi::Number::New(env, ntohs(sin6->sin6_port)));
    out.Set("family", Napi::Number::New(env, 6));
  }
  out.Set("address", Napi::String::New(env, buf));
  return out;
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = -1;
  if (!FdArg(info, &fd)) return ThrowType(env, "close(fd): fd must be a non-negative number");
  if (close(fd) != 0) return ThrowErrno(env, errno, "close", "fd " + std::to_string(fd));
  return env.Undefined();
}

// Which of the options this build of the platform defines.
Napi::Value Capabilities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  bool reuseport = false, reuseportLb = false, v6only = false, cbpf = false, incomingCpu = false;
#ifdef SO_REUSEPORT
  reuseport = true;
#endif
#ifdef SO_REUSEPORT_LB
  reuseportLb = true;
#endif
#ifdef IPV6_V6ONLY
  v6only = true;
#endif
#ifdef SO_ATTACH_REUSEPORT_CBPF
  cbpf = true;
#endif
#ifdef SO_INCOMING_CPU
  incomingCpu = true;
#endif
  out.Set("SO_REUSEPORT", Napi::Boolean::New(env, reuseport));
  out.Set("SO_REUSEPORT_LB", Napi::Boolean::New(env, reuseportLb));
  out.Set("IPV6_V6ONLY", Napi::Boolean::New(env, v6only));
  out.Set("SO_ATTACH_REUSEPORT_CBPF", Napi::Boolean::New(env, cbpf));
  out.Set("SO_INCOMING_CPU", Napi::Boolean::New(env, incomingCpu));
  // Plain SO_REUSEPORT balances TCP connections on Linux; on the BSDs only _LB does.
  out.Set("reuseportBalances", Napi::Boolean::New(env, reuseport && RB_REUSEPORT_BALANCES));
#if defined(__linux__)
  out.Set("cpuAffinity", Napi::Boolean::New(env, true));
#else
  out.Set("cpuAffinity", Napi::Boolean::New(env, false));
#endif
  return out;
}

// attachReuseportCbpf(fd, kind, arg): steer new connections within the fd's
// SO_REUSEPORT group with a classic BPF program (Linux 4.6+ for TCP).
//   kind 'cpu':   socket index = receiving CPU % arg
//   kind 'index': every connection to socket index `arg`
// The program's result indexes the group's sockets in the order they joined;
// an index past the end falls back to the kernel's hash.
Napi::Value AttachReuseportCbpf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = -1;
  if (!FdArg(info, &fd) || info.Length() < 3 || !info[1].IsString() || !info[2].IsNumber())
    return ThrowType(env, "attachReuseportCbpf(fd, kind, arg): fd a number, kind 'cpu' or 'index', arg a number");
  std::string kind = info[1].As<Napi::String>().Utf8Value();
  uint32_t arg = info[2].As<Napi::Number>().Uint32Value();
#if defined(SO_ATTACH_REUSEPORT_CBPF)
  struct sock_filter cpu_prog[] = {
      {BPF_LD | BPF_W | BPF_ABS, 0, 0, static_cast<uint32_t>(SKF_AD_OFF + SKF_AD_CPU)},
      {BPF_ALU | BPF_MOD | BPF_K, 0, 0, arg},
      {BPF_RET | BPF_A, 0, 0, 0},
  };
  struct sock_filter index_prog[] = {
      {BPF_RET | BPF_K, 0, 0, arg},
  };
  struct sock_fprog prog;
  if (kind == "cpu") {
    if (arg == 0) return ThrowType(env, "attachReuseportCbpf: arg (the group size) must be positive for 'cpu'");
    prog.len = sizeof(cpu_prog) / sizeof(cpu_prog[0]);
    prog.filter = cpu_prog;
  } else if (kind == "index") {
    prog.len = 1;
    prog.filter = index_prog;
  } else {
    return ThrowType(env, "attachReuseportCbpf: kind must be 'cpu' or 'index'");
  }
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof(prog)) != 0)
    return ThrowErrno(env, errno, "setsockopt", "SO_ATTACH_REUSEPORT_CBPF");
  return env.Undefined();
#else
  (void)fd;
  (void)arg;
  (void)kind;
  return ThrowErrno(env, ENOPROTOOPT, "setsockopt", "SO_ATTACH_REUSEPORT_CBPF (not defined on this platform)");
#endif
}

// detachReuseportBpf(fd): remove the group's steering program (Linux 5.8+).
Napi::Value DetachReuseportBpf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = -1;
  if (!FdArg(info, &fd)) return ThrowType(env, "detachReuseportBpf(fd): fd must be a non-negative number");
#if defined(__linux__) && !defined(SO_DETACH_REUSEPORT_BPF)
#define SO_DETACH_REUSEPORT_BPF 68  // Linux 5.8 uapi value, for older headers
#endif
#if defined(SO_DETACH_REUSEPORT_BPF)
  int zero = 0;
  if (setsockopt(fd, SOL_SOCKET, SO_DETACH_REUSEPORT_BPF, &zero, sizeof(zero)) != 0)
    return ThrowErrno(env, errno, "setsockopt", "SO_DETACH_REUSEPORT_BPF");
  return env.Undefined();
#else
  return ThrowErrno(env, ENOPROTOOPT, "setsockopt", "SO_DETACH_REUSEPORT_BPF (not defined on this platform)");
#endif
}

// dieWithParent(): this process gets SIGKILL when the process that started it
// exits, however it exits, even if this one is stopped or its event loop is
// blocked (Linux PR_SET_PDEATHSIG, FreeBSD PROC_PDEATHSIG_CTL). Returns false
// where the OS has no such thing; the caller then relies on its IPC channel.
Napi::Value DieWithParent(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
#if defined(__linux__)
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return ThrowErrno(env, errno, "prctl", "PR_SET_PDEATHSIG");
  return Napi::Boolean::New(env, true);
#elif defined(__FreeBSD__) && defined(PROC_PDEATHSIG_CTL)
  int sig = SIGKILL;
  if (procctl(P_PID, 0, PROC_PDEATHSIG_CTL, &sig) != 0) return ThrowErrno(env, errno, "procctl", "PROC_PDEATHSIG_CTL");
  return Napi::Boolean::New(env, true);
#else
  return Napi::Boolean::New(env, false);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("dieWithParent", Napi::Function::New(env, DieWithParent));
  exports.Set("attachReuseportCbpf", Napi::Function::New(env, AttachReuseportCbpf));
  exports.Set("detachReuseportBpf", Napi::Function::New(env, DetachReuseportBpf));
  exports.Set("open", Napi::Function::New(env, Open));
  exports.Set("listen", Napi::Function::New(env, Listen));
  exports.Set("getOption", Napi::Function::New(env, GetOption));
  exports.Set("localAddress", Napi::Function::New(env, LocalAddress));
  exports.Set("close", Napi::Function::New(env, Close));
  exports.Set("capabilities", Napi::Function::New(env, Capabilities));
  rb_diag::Init(env, exports);
  rb_affinity::Init(env, exports);
  rb_accept::Init(env, exports);
  rb_bpf::Init(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(reuseport, Init)
