# Puma serves each request in a thread from its pool.
max_threads_count = ENV.fetch("RAILS_MAX_THREADS", 5)
min_threads_count = ENV.fetch("RAILS_MIN_THREADS") { max_threads_count }
threads min_threads_count, max_threads_count

# `bin/rails server` passes the address and port (see bin/rails); these are for `puma` on its own.
port ENV.fetch("PORT", 8082), ENV.fetch("HOST", "127.0.0.1")

environment ENV.fetch("RAILS_ENV") { "development" }

pidfile ENV.fetch("PIDFILE") { "tmp/pids/server.pid" }
