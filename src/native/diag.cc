// The kernel's own view of listening TCP sockets, read from outside the
// processes that own them: one NETLINK_SOCK_DIAG dump (what `ss -ltm` reads)
// gives, for every socket listening on a port in this network namespace, its
// accept-queue length (idiag_rqueue), its backlog limit (idiag_wqueue), its
// inode (to find the process holding it through /proc/<pid>/fd) and, with
// the memory-info extension, the packets it dropped (SK_MEMINFO_DROPS, `ss`'s
// d<N>). Linux only; elsewhere listenQueues throws ENOSYS.

#include <napi.h>

#include <cerrno>
#include <cstring>
#include <string>

#if defined(__linux__)
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include "errors.h"

namespace rb_diag {

namespace {

#if defined(__linux__)
// TCP_LISTEN is 10 in the kernel's state numbering.
constexpr unsigned kListenStateBit = 1u << 10;

// Sends one dump request for listening TCP sockets of `family`, with memory info.
bool SendRequest(int fd, int family) {
  struct {
    nlmsghdr nlh;
    inet_diag_req_v2 req;
  } msg{};
  msg.nlh.nlmsg_len = sizeof(msg);
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.req.sdiag_family = static_cast<unsigned char>(family);
  msg.req.sdiag_protocol = IPPROTO_TCP;
  msg.req.idiag_states = kListenStateBit;
  msg.req.idiag_ext = 1u << (INET_DIAG_SKMEMINFO - 1);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  return sendto(fd, &msg, sizeof(msg), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) >= 0;
}

// The drop count from a message's SKMEMINFO attribute, or -1 when absent.
double Drops(const nlmsghdr* h, const inet_diag_msg* m) {
  int len = static_cast<int>(h->nlmsg_len) - static_cast<int>(NLMSG_LENGTH(sizeof(*m)));
  for (auto* a = reinterpret_cast<const rtattr*>(m + 1); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    if (a->rta_type != INET_DIAG_SKMEMINFO || RTA_PAYLOAD(a) < (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t)) continue;
    return static_cast<const uint32_t*>(RTA_DATA(a))[SK_MEMINFO_DROPS];
  }
  return -1;
}

// Reads the dump's replies into `out`, keeping sockets on `port`; 0 or an errno.
int ReadReplies(Napi::Env env, int fd, int port, Napi::Array out) {
  alignas(nlmsghdr) char buf[32768];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0) return errno;
    int left = static_cast<int>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_type == NLMSG_DONE) return 0;
      if (h->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<nlmsgerr*>(NLMSG_DATA(h));
        return e->error == 0 ? 0 : -e->error;
      }
      auto* m = static_cast<inet_diag_msg*>(NLMSG_DATA(h));
      if (ntohs(m->id.idiag_sport) != port) continue;
      Napi::Object o = Napi::Object::New(env);
      o.Set("inode", Napi::Number::New(env, m->idiag_inode));
      o.Set("family", Napi::Number::New(env, m->idiag_family == AF_INET6 ? 6 : 4));
      o.Set("queued", Napi::Number::New(env, m->idiag_rqueue));
      o.Set("backlog", Napi::Number::New(env, m->idiag_wqueue));
      o.Set("drops", Napi::Number::New(env, Drops(h, m)));
      out.Set(out.Length(), o);
    }
  }
}
#endif

// listenQueues(port): [{ inode, family, queued, backlog, drops }] for every TCP socket listening on `port`.
Napi::Value ListenQueues(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "listenQueues(port)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
#if defined(__linux__)
  int port = info[0].As<Napi::Number>().Int32Value();
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return rb::ThrowErrno(env, errno, "socket", "NETLINK_SOCK_DIAG");
  Napi::Array out = Napi::Array::New(env);
  for (int family : {AF_INET, AF_INET6}) {
    int err = SendRequest(fd, family) ? ReadReplies(env, fd, port, out) : errno;
    if (err != 0) {
      close(fd);
      return rb::ThrowErrno(env, err, "sock_diag", "dump");
    }
  }
  close(fd);
  return out;
#else
  return rb::ThrowErrno(env, ENOSYS, "sock_diag", "this OS");
#endif
}

}  // namespace

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("listenQueues", Napi::Function::New(env, ListenQueues));
}

}  // namespace rb_diag
