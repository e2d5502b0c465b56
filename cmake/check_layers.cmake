# Fails when a lower layer includes a higher one (docs/layers.md).
#   cmake -DROOT=<source dir> -P cmake/check_layers.cmake
# Each layer names the project folders it may include from; headers from
# outside the project (absl, grpcpp, SQLiteCpp, generated reciprocity/v1/...)
# are checked by the rule for generated gRPC stubs only.
if(NOT ROOT)
  message(FATAL_ERROR "check_layers: pass -DROOT=<source dir>")
endif()

# layer folder | folders it may include | may it include gRPC?
set(layers
  "base|base|no"
  "policy|base,policy|no"
  "server/store|base,server/store|no"
  "server/domain|base,policy,server/store,server/domain|no"
  "server/rpc|base,policy,server/store,server/domain,server/rpc|yes"
  "client|base,policy,client|yes"
  "web|base,policy,client,web|yes")
# The program's own files (server.cc, check.cc, main.cc) may include any
# server layer: they wire them together.
set(project_roots base policy server client web tests)

set(failures "")
foreach(entry ${layers})
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 layer)
  list(GET parts 1 allowed)
  string(REPLACE "," ";" allowed "${allowed}")
  list(GET parts 2 grpc_ok)
  file(GLOB_RECURSE files "${ROOT}/${layer}/*.h" "${ROOT}/${layer}/*.cc")
  foreach(file ${files})
    file(RELATIVE_PATH rel "${ROOT}" "${file}")
    file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    foreach(line ${includes})
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*" "\\1" path "${line}")
      if(path MATCHES "\\.grpc\\.pb\\.h$" OR path MATCHES "^grpcpp/" OR path MATCHES "^grpc/")
        if(NOT grpc_ok STREQUAL "yes")
          list(APPEND failures "${rel}: includes <${path}>: ${layer} must not depend on gRPC")
        endif()
        continue()
      endif()
      string(REGEX MATCH "^[a-z_]+" top "${path}")
      list(FIND project_roots "${top}" is_project)
      if(is_project EQUAL -1)
        continue()
      endif()
      set(ok FALSE)
      foreach(a ${allowed})
        string(LENGTH "${a}" n)
        string(SUBSTRING "${path}" 0 ${n} prefix)
        if(prefix STREQUAL a)
          # "server/store" must not let "server/storefront" in, nor may
          # "server" stand for its sub-layers.
          string(SUBSTRING "${path}" ${n} 1 next)
          if(next STREQUAL "/")
            set(ok TRUE)
          endif()
        endif()
      endforeach()
      if(NOT ok)
        list(APPEND failures "${rel}: includes \"${path}\": ${layer} may include only ${allowed}")
      endif()
    endforeach()
  endforeach()
endforeach()

# Nothing outside server/ includes the server, and nothing but the
# program's own files includes server/ top-level headers.
file(GLOB top_files "${ROOT}/server/*.h" "${ROOT}/server/*.cc")
foreach(file ${top_files})
  get_filename_component(name "${file}" NAME)
  if(NOT name MATCHES "^(server|check)\\.(h|cc)$" AND NOT name STREQUAL "main.cc")
    list(APPEND failures "server/${name}: server/ holds only server.cc, check.cc and main.cc; put it in a layer (docs/layers.md)")
  endif()
endforeach()

if(failures)
  list(JOIN failures "\n  " text)
  message(FATAL_ERROR "layer check failed (docs/layers.md):\n  ${text}")
endif()
