ENV["BUNDLE_GEMFILE"] ||= File.expand_path("../Gemfile", __dir__)

# `bundle install` writes Gemfile.lock; from then on the app runs on that
# bundle. Before it, it runs on the gems already installed system-wide (for
# example Debian's ruby-rails), as this repository's tests do.
require "bundler/setup" if File.exist?("#{ENV["BUNDLE_GEMFILE"]}.lock")

# `bin/rails server` listens on $BINDING (0.0.0.0 outside development) and
# $PORT (3000). This app listens on $HOST and $PORT, loopback and 8082 unless
# told otherwise.
ENV["BINDING"] ||= ENV.fetch("HOST", "127.0.0.1")
ENV["PORT"] ||= "8082"
# One pid file per port, so that copies on two ports can run side by side.
ENV["PIDFILE"] ||= "tmp/pids/server-#{ENV["PORT"]}.pid"
