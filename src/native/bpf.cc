// The bpf(2) calls an eBPF reuseport steering program needs, each a thin
// wrapper: the program's instructions are assembled in TypeScript
// (src/topology/steer/asm.ts) and arrive here as bytes, so nothing is compiled
// at run time and the build needs no clang. Maps are created, updated, found
// by id and mmap'd (an ArrayBuffer over BPF_F_MMAPABLE memory: a listener's
// load update is a store, no syscall); programs are loaded (the verifier's
// log in the error when it refuses) and attached to a SO_REUSEPORT group;
// objects are listed by id, as `bpftool prog/map list` does, for leak checks.
// Linux only; elsewhere every call throws ENOSYS. Also the accept queue of
// one listening socket (TCP_INFO), which the stalled listener reads.

#include <napi.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#if defined(__linux__)
#include <linux/bpf.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "errors.h"

namespace rb_bpf {

namespace {

using rb::ErrnoError;
using rb::ThrowErrno;
using rb::ThrowType;

bool UintArg(const Napi::CallbackInfo& info, size_t i, uint32_t* out) {
  if (info.Length() <= i || !info[i].IsNumber()) return false;
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (v < 0 || v > 4294967295.0 || v != static_cast<double>(static_cast<uint32_t>(v))) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

#if defined(__linux__)
#ifndef SO_ATTACH_REUSEPORT_EBPF
#define SO_ATTACH_REUSEPORT_EBPF 52
#endif

long Bpf(int cmd, bpf_attr* attr) {
  return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

void CopyName(char* dst, const std::string& name) {
  std::strncpy(dst, name.c_str(), BPF_OBJ_NAME_LEN - 1);
}
#endif

// bpfMapCreate(type, keySize, valueSize, maxEntries, flags, name) -> fd
Napi::Value MapCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t type, key, value, entries, flags;
  if (!UintArg(info, 0, &type) || !UintArg(info, 1, &key) || !UintArg(info, 2, &value) || !UintArg(info, 3, &entries) ||
      !UintArg(info, 4, &flags) || info.Length() < 6 || !info[5].IsString())
    return ThrowType(env, "bpfMapCreate(type, keySize, valueSize, maxEntries, flags, name): numbers and a name");
#if defined(__linux__)
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.map_type = type;
  attr.key_size = key;
  attr.value_size = value;
  attr.max_entries = entries;
  attr.map_flags = flags;
  CopyName(attr.map_name, info[5].As<Napi::String>().Utf8Value());
  long fd = Bpf(BPF_MAP_CREATE, &attr);
  if (fd < 0) return ThrowErrno(env, errno, "bpf", "BPF_MAP_CREATE (type " + std::to_string(type) + ")");
  return Napi::Number::New(env, static_cast<double>(fd));
#else
  (void)type; (void)key; (void)value; (void)entries; (void)flags;
  return ThrowErrno(env, ENOSYS, "bpf", "BPF_MAP_CREATE");
#endif
}

// bpfProgLoad(type, insns: Buffer, name) -> fd. A refusal carries the verifier's last lines.
Napi::Value ProgLoad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t type;
  if (!UintArg(info, 0, &type) || info.Length() < 3 || !info[1].IsBuffer() || !info[2].IsString())
    return ThrowType(env, "bpfProgLoad(type, insns, name): a number, a Buffer of 8-byte instructions and a name");
  Napi::Buffer<uint8_t> insns = info[1].As<Napi::Buffer<uint8_t>>();
  if (insns.Length() == 0 || insns.Length() % 8 != 0) return ThrowType(env, "bpfProgLoad: insns must be a non-empty multiple of 8 bytes");
#if defined(__linux__)
  static const char kLicense[] = "GPL";
  std::string name = info[2].As<Napi::String>().Utf8Value();
  auto load = [&](char* log, uint32_t size) {
    bpf_attr attr;
    std::memset(&attr, 0, sizeof(attr));
    attr.prog_type = type;
    attr.insn_cnt = static_cast<uint32_t>(insns.Length() / 8);
    attr.insns = reinterpret_cast<uint64_t>(insns.Data());
    attr.license = reinterpret_cast<uint64_t>(kLicense);
    attr.log_level = log == nullptr ? 0 : 1;
    attr.log_buf = reinterpret_cast<uint64_t>(log);
    attr.log_size = size;
    CopyName(attr.prog_name, name);
    return Bpf(BPF_PROG_LOAD, &attr);
  };
  long fd = load(nullptr, 0);
  if (fd >= 0) return Napi::Number::New(env, static_cast<double>(fd));
  int err = errno;
  std::vector<char> log(1 << 20, '\0');
  long again = load(log.data(), static_cast<uint32_t>(log.size()));
  if (again >= 0) return Napi::Number::New(env, static_cast<double>(again));
  std::string text(log.data());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.size() > 600) text = "..." + text.substr(text.size() - 600);
  Napi::Error e = ErrnoError(env, err, "bpf", "BPF_PROG_LOAD");
  e.Set("verifierLog", Napi::String::New(env, text));
  e.ThrowAsJavaScriptException();
  return env.Undefined();
#else
  (void)type;
  return ThrowErrno(env, ENOSYS, "bpf", "BPF_PROG_LOAD");
#endif
}

// bpfMapUpdate(mapFd, key, value): a u32 key and a u64 value (a socket's fd for a REUSEPORT_SOCKARRAY).
Napi::Value MapUpdate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t fd, key, value;
  if (!UintArg(info, 0, &fd) || !UintArg(info, 1, &key) || !UintArg(info, 2, &value))
    return ThrowType(env, "bpfMapUpdate(mapFd, key, value): numbers");
#if defined(__linux__)
  uint64_t v = value;
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.map_fd = fd;
  attr.key = reinterpret_cast<uint64_t>(&key);
  attr.value = reinterpret_cast<uint64_t>(&v);
  attr.flags = BPF_ANY;
  if (Bpf(BPF_MAP_UPDATE_ELEM, &attr) != 0) return ThrowErrno(env, errno, "bpf", "BPF_MAP_UPDATE_ELEM (key " + std::to_string(key) + ")");
  return env.Undefined();
#else
  (void)fd; (void)key; (void)value;
  return ThrowErrno(env, ENOSYS, "bpf", "BPF_MAP_UPDATE_ELEM");
#endif
}

#if defined(__linux__)
// Mappings still mapped, by address, with their length: unmapped once, by bpfMapUnmap or when collected.
std::map<void*, size_t>& Mappings() {
  static std::map<void*, size_t> m;
  return m;
}

void Unmap(void* p) {
  auto it = Mappings().find(p);
  if (it == Mappings().end()) return;
  munmap(p, it->second);
  Mappings().erase(it);
}
#endif

// bpfMapMmap(mapFd, bytes) -> ArrayBuffer over the map's values (BPF_F_MMAPABLE array), unmapped when collected or by bpfMapUnmap.
Napi::Value MapMmap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t fd, bytes;
  if (!UintArg(info, 0, &fd) || !UintArg(info, 1, &bytes) || bytes == 0) return ThrowType(env, "bpfMapMmap(mapFd, bytes): numbers, bytes > 0");
#if defined(__linux__)
  long page = sysconf(_SC_PAGESIZE);
  size_t len = (static_cast<size_t>(bytes) + page - 1) / page * page;
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, static_cast<int>(fd), 0);
  if (p == MAP_FAILED) return ThrowErrno(env, errno, "mmap", "bpf map fd " + std::to_string(fd));
  Mappings()[p] = len;
  return Napi::ArrayBuffer::New(env, p, bytes, [](Napi::Env, void* data) { Unmap(data); });
#else
  (void)fd;
  return ThrowErrno(env, ENOSYS, "mmap", "bpf map");
#endif
}

// bpfMapUnmap(buffer): detaches a buffer from bpfMapMmap (its views read as empty from then on) and unmaps it,
// so the map is freed without waiting for the collector.
Napi::Value MapUnmap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArrayBuffer()) return ThrowType(env, "bpfMapUnmap(buffer): an ArrayBuffer from bpfMapMmap");
  Napi::ArrayBuffer ab = info[0].As<Napi::ArrayBuffer>();
  void* p = ab.Data();
#if defined(__linux__)
  if (p == nullptr || Mappings().find(p) == Mappings().end()) return ThrowType(env, "bpfMapUnmap: not a mapping from bpfMapMmap (or unmapped already)");
  ab.Detach();
  Unmap(p);
#else
  (void)p;
#endif
  return env.Undefined();
}

#if defined(__linux__)
// {id, type, name[, runCnt, runTimeNs]} of a program (kind 'prog') or map's fd.
Napi::Object InfoObject(Napi::Env env, bool prog, const void* raw) {
  Napi::Object out = Napi::Object::New(env);
  if (prog) {
    const bpf_prog_info* i = static_cast<const bpf_prog_info*>(raw);
    out.Set("id", i->id);
    out.Set("type", i->type);
    out.Set("name", std::string(i->name, strnlen(i->name, BPF_OBJ_NAME_LEN)));
    out.Set("runCnt", static_cast<double>(i->run_cnt));
    out.Set("runTimeNs", static_cast<double>(i->run_time_ns));
  } else {
    const bpf_map_info* i = static_cast<const bpf_map_info*>(raw);
    out.Set("id", i->id);
    out.Set("type", i->type);
    out.Set("name", std::string(i->name, strnlen(i->name, BPF_OBJ_NAME_LEN)));
  }
  return out;
}

// Fills `raw` (a bpf_prog_info or bpf_map_info) for fd; errno on failure.
bool GetInfo(int fd, bool prog, void* raw) {
  uint32_t size = prog ? sizeof(bpf_prog_info) : sizeof(bpf_map_info);
  std::memset(raw, 0, size);
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.info.bpf_fd = static_cast<uint32_t>(fd);
  attr.info.info_len = size;
  attr.info.info = reinterpret_cast<uint64_t>(raw);
  return Bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) == 0;
}

long FdById(bool prog, uint32_t id) {
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  if (prog) attr.prog_id = id; else attr.map_id = id;
  return Bpf(prog ? BPF_PROG_GET_FD_BY_ID : BPF_MAP_GET_FD_BY_ID, &attr);
}
#endif

bool KindArg(const Napi::CallbackInfo& info, size_t i, bool* prog) {
  if (info.Length() <= i || !info[i].IsString()) return false;
  std::string k = info[i].As<Napi::String>().Utf8Value();
  if (k != "prog" && k != "map") return false;
  *prog = k == "prog";
  return true;
}

// bpfInfo(kind, fd) -> {id, type, name, runCnt?, runTimeNs?}
Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool prog;
  uint32_t fd;
  if (!KindArg(info, 0, &prog) || !UintArg(info, 1, &fd)) return ThrowType(env, "bpfInfo(kind, fd): kind 'prog' or 'map', fd a number");
#if defined(__linux__)
  union { bpf_prog_info p; bpf_map_info m; } raw;
  if (!GetInfo(static_cast<int>(fd), prog, &raw)) return ThrowErrno(env, errno, "bpf", "BPF_OBJ_GET_INFO_BY_FD");
  return InfoObject(env, prog, &raw);
#else
  (void)fd;
  return ThrowErrno(env, ENOSYS, "bpf", "BPF_OBJ_GET_INFO_BY_FD");
#endif
}

// bpfFdById(kind, id) -> a new fd for the program or map with that id (CAP_SYS_ADMIN).
Napi::Value FdByIdFn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool prog;
  uint32_t id;
  if (!KindArg(info, 0, &prog) || !UintArg(info, 1, &id)) return ThrowType(env, "bpfFdById(kind, id): kind 'prog' or 'map', id a number");
#if defined(__linux__)
  long fd = FdById(prog, id);
  if (fd < 0) return ThrowErrno(env, errno, "bpf", std::string(prog ? "BPF_PROG_GET_FD_BY_ID" : "BPF_MAP_GET_FD_BY_ID") + " (id " + std::to_string(id) + ")");
  return Napi::Number::New(env, static_cast<double>(fd));
#else
  (void)id;
  return ThrowErrno(env, ENOSYS, "bpf", "GET_FD_BY_ID");
#endif
}

// bpfList(kind) -> every program or map the kernel holds, [{id, type, name, ...}] (what `bpftool prog list` shows).
Napi::Value List(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool prog;
  if (!KindArg(info, 0, &prog)) return ThrowType(env, "bpfList(kind): kind 'prog' or 'map'");
#if defined(__linux__)
  Napi::Array out = Napi::Array::New(env);
  uint32_t id = 0, n = 0;
  for (;;) {
    bpf_attr attr;
    std::memset(&attr, 0, sizeof(attr));
    attr.start_id = id;
    if (Bpf(prog ? BPF_PROG_GET_NEXT_ID : BPF_MAP_GET_NEXT_ID, &attr) != 0) {
      if (errno == ENOENT) break;
      return ThrowErrno(env, errno, "bpf", prog ? "BPF_PROG_GET_NEXT_ID" : "BPF_MAP_GET_NEXT_ID");
    }
    id = attr.next_id;
    long fd = FdById(prog, id);
    if (fd < 0) continue;  // freed between the two calls
    union { bpf_prog_info p; bpf_map_info m; } raw;
    bool ok = GetInfo(static_cast<int>(fd), prog, &raw);
    close(static_cast<int>(fd));
    if (ok) out.Set(n++, InfoObject(env, prog, &raw));
  }
  return out;
#else
  return ThrowErrno(env, ENOSYS, "bpf", "GET_NEXT_ID");
#endif
}

// attachReuseportEbpf(sockFd, progFd): the program selects sockets for the fd's SO_REUSEPORT group (Linux 4.19+ for SK_REUSEPORT).
Napi::Value AttachEbpf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t sock, prog;
  if (!UintArg(info, 0, &sock) || !UintArg(info, 1, &prog)) return ThrowType(env, "attachReuseportEbpf(sockFd, progFd): numbers");
#if defined(__linux__)
  int p = static_cast<int>(prog);
  if (setsockopt(static_cast<int>(sock), SOL_SOCKET, SO_ATTACH_REUSEPORT_EBPF, &p, sizeof(p)) != 0)
    return ThrowErrno(env, errno, "setsockopt", "SO_ATTACH_REUSEPORT_EBPF");
  return env.Undefined();
#else
  (void)sock; (void)prog;
  return ThrowErrno(env, ENOPROTOOPT, "setsockopt", "SO_ATTACH_REUSEPORT_EBPF (not defined on this platform)");
#endif
}

// acceptQueue(fd) -> {queued, backlog} of one listening TCP socket (TCP_INFO: tcpi_unacked, tcpi_sacked).
Napi::Value AcceptQueue(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t fd;
  if (!UintArg(info, 0, &fd)) return ThrowType(env, "acceptQueue(fd): fd a number");
#if defined(__linux__)
  tcp_info ti;
  std::memset(&ti, 0, sizeof(ti));
  socklen_t len = sizeof(ti);
  if (getsockopt(static_cast<int>(fd), IPPROTO_TCP, TCP_INFO, &ti, &len) != 0) return ThrowErrno(env, errno, "getsockopt", "TCP_INFO");
  Napi::Object out = Napi::Object::New(env);
  out.Set("queued", ti.tcpi_unacked);
  out.Set("backlog", ti.tcpi_sacked);
  return out;
#else
  (void)fd;
  return ThrowErrno(env, ENOSYS, "getsockopt", "TCP_INFO");
#endif
}

}  // namespace

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("bpfMapCreate", Napi::Function::New(env, MapCreate));
  exports.Set("bpfProgLoad", Napi::Function::New(env, ProgLoad));
  exports.Set("bpfMapUpdate", Napi::Function::New(env, MapUpdate));
  exports.Set("bpfMapMmap", Napi::Function::New(env, MapMmap));
  exports.Set("bpfMapUnmap", Napi::Function::New(env, MapUnmap));
  exports.Set("bpfInfo", Napi::Function::New(env, Info));
  exports.Set("bpfFdById", Napi::Function::New(env, FdByIdFn));
  exports.Set("bpfList", Napi::Function::New(env, List));
  exports.Set("attachReuseportEbpf", Napi::Function::New(env, AttachEbpf));
  exports.Set("acceptQueue", Napi::Function::New(env, AcceptQueue));
}

}  // namespace rb_bpf
