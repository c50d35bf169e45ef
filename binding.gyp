{
  "targets": [
    {
      "target_name": "reuseport",
      "sources": ["src/native/reuseport.cc", "src/native/diag.cc", "src/native/affinity.cc", "src/native/accept.cc", "src/native/bpf.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-std=c++17"] }
    }
  ]
}
