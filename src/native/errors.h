// How the addon's C++ reports failures to JS, shared by its files: an Error
// whose `code` is the errno name and whose message names the call, or a TypeError.
#pragma once

#include <napi.h>
#include <uv.h>

#include <cstring>
#include <string>

namespace rb {

// A JS error for `err` (a positive errno) raised by `call` on `what` (to throw, or to reject a promise with).
inline Napi::Error ErrnoError(Napi::Env env, int err, const std::string& call, const std::string& what) {
  const char* name = uv_err_name(-err);
  std::string msg = call;
  if (!what.empty()) msg += " " + what;
  msg += ": ";
  msg += name;
  msg += " (";
  msg += std::strerror(err);
  msg += ")";
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, name));
  e.Set("errno", Napi::Number::New(env, err));
  e.Set("syscall", Napi::String::New(env, call));
  return e;
}

// Throws a JS error for `err` (a positive errno) raised by `call` on `what`.
inline Napi::Value ThrowErrno(Napi::Env env, int err, const std::string& call, const std::string& what) {
  ErrnoError(env, err, call, what).ThrowAsJavaScriptException();
  return env.Undefined();
}

inline Napi::Value ThrowType(Napi::Env env, const std::string& msg) {
  Napi::TypeError::New(env, msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

}  // namespace rb
