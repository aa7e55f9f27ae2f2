Rails.application.configure do
  config.cache_classes = true
  config.eager_load = true
  config.consider_all_requests_local = false

  # stdout carries the app's one-line events only; Rails reports problems on stderr.
  config.logger = ActiveSupport::Logger.new($stderr)
  config.log_level = :warn

  # There are no cookies or sessions, so a per-process key will do.
  config.secret_key_base = ENV.fetch("SECRET_KEY_BASE") { SecureRandom.hex(64) }
end
