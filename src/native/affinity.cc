// Pinning processes and threads to CPUs (Linux sched_setaffinity): every
// thread of a process (setAffinity), the calling thread alone (pinThread: a
// client worker thread onto its own CPU), and reading a set back. Elsewhere
// each throws ENOSYS (capabilities().cpuAffinity says which).

#include <napi.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#if defined(__linux__)
#include <dirent.h>
#include <sched.h>
#endif

#include "errors.h"

namespace rb_affinity {

namespace {

using rb::ThrowErrno;
using rb::ThrowType;

#if defined(__linux__)
// The CPU set of a JS array of CPU numbers; false (a TypeError thrown) when one is out of range or none is given.
bool CpuSetOf(Napi::Env env, const Napi::Value& v, const char* call, cpu_set_t* set) {
  Napi::Array cpus = v.As<Napi::Array>();
  CPU_ZERO(set);
  for (uint32_t i = 0; i < cpus.Length(); i++) {
    Napi::Value c = cpus.Get(i);
    int n = c.IsNumber() ? c.As<Napi::Number>().Int32Value() : -1;
    if (n < 0 || n >= CPU_SETSIZE) {
      ThrowType(env, std::string(call) + ": a CPU number out of range");
      return false;
    }
    CPU_SET(n, set);
  }
  if (cpus.Length() == 0) {
    ThrowType(env, std::string(call) + ": no CPU given");
    return false;
  }
  return true;
}
#endif

#if defined(__linux__)
// /proc/<pid>/task, or /proc/self/task for pid 0.
std::string TaskDir(pid_t pid) {
  return pid == 0 ? std::string("/proc/self/task") : "/proc/" + std::to_string(pid) + "/task";
}
#endif

// setAffinity(pid, cpus): pins every thread of process `pid` (0 = this one) to
// `cpus` (sched_setaffinity per thread: on Linux it acts on one thread, and a
// thread started later inherits its creator's set). Returns the threads pinned.
// A thread that exits meanwhile (ESRCH) is skipped. Linux only: ENOSYS elsewhere.
Napi::Value SetAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsArray()) return ThrowType(env, "setAffinity(pid, cpus[])");
#if defined(__linux__)
  pid_t pid = info[0].As<Napi::Number>().Int32Value();
  cpu_set_t set;
  if (!CpuSetOf(env, info[1], "setAffinity", &set)) return env.Undefined();
  std::string dir = TaskDir(pid);
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return ThrowErrno(env, errno, "opendir", dir);
  int pinned = 0, failed = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    if (sched_setaffinity(static_cast<pid_t>(atoi(e->d_name)), sizeof(set), &set) == 0) pinned++;
    else if (errno != ESRCH && failed == 0) failed = errno;
  }
  closedir(d);
  if (failed != 0) return ThrowErrno(env, failed, "sched_setaffinity", dir);
  return Napi::Number::New(env, pinned);
#else
  return ThrowErrno(env, ENOSYS, "sched_setaffinity", "this OS");
#endif
}

// getAffinity(pid): the CPUs process `pid`'s main thread (0 = this thread) may run on.
Napi::Value GetAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) return ThrowType(env, "getAffinity(pid)");
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(info[0].As<Napi::Number>().Int32Value(), sizeof(set), &set) != 0) return ThrowErrno(env, errno, "sched_getaffinity", "pid");
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (int c = 0; c < CPU_SETSIZE; c++) if (CPU_ISSET(c, &set)) out.Set(n++, Napi::Number::New(env, c));
  return out;
#else
  return ThrowErrno(env, ENOSYS, "sched_getaffinity", "this OS");
#endif
}

// pinThread(cpus): pins the calling thread only (a worker thread onto its own CPU); threads it starts inherit the set.
Napi::Value PinThread(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) return ThrowType(env, "pinThread(cpus[])");
#if defined(__linux__)
  cpu_set_t set;
  if (!CpuSetOf(env, info[0], "pinThread", &set)) return env.Undefined();
  if (sched_setaffinity(0, sizeof(set), &set) != 0) return ThrowErrno(env, errno, "sched_setaffinity", "this thread");
  return env.Undefined();
#else
  return ThrowErrno(env, ENOSYS, "sched_setaffinity", "this OS");
#endif
}

}  // namespace

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("setAffinity", Napi::Function::New(env, SetAffinity));
  exports.Set("getAffinity", Napi::Function::New(env, GetAffinity));
  exports.Set("pinThread", Napi::Function::New(env, PinThread));
}

}  // namespace rb_affinity
