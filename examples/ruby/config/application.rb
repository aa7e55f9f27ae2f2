require_relative "boot"

require "rails"
# No database, no views, no mailers: the controller framework is all this app uses.
require "action_controller/railtie"
require "plivo"
require_relative "../lib/one_line_log_formatter"
require_relative "../lib/reject_malformed_requests"

module DialStatusExample
  class Application < Rails::Application
    config.load_defaults 6.1

    auth_token = ENV["PLIVO_AUTH_TOKEN"].presence or
      abort "PLIVO_AUTH_TOKEN is not set. Set it to the Auth Token of your Plivo account."

    public_url = ENV.fetch("PUBLIC_URL", "http://127.0.0.1:#{ENV.fetch("PORT")}").sub(%r{/+\z}, "")
    public_uri = begin
      URI.parse(public_url)
    rescue URI::InvalidURIError
      nil
    end
    unless public_uri.is_a?(URI::HTTP) && public_uri.host.present? && public_uri.query.nil? && public_uri.fragment.nil?
      abort "PUBLIC_URL must be an http(s) URL with no query or fragment, " \
            "e.g. https://example.ngrok.app (got #{public_url.inspect})."
    end

    config.x.plivo_auth_token = auth_token
    config.x.public_url = public_url
    # Plivo signs the port, the Ruby SDK's signature helper drops it (see the controller).
    config.x.public_url_has_port = !URI.split(public_url)[3].nil?
    config.x.dial_number = ENV["DIAL_NUMBER"].presence || "+15555550100"

    # Host authorization: answer only for the public host and loopback.
    config.hosts = [public_uri.hostname, "127.0.0.1", "localhost", IPAddr.new("::1")]

    # The same settings in every environment: no code reloading, no detailed
    # error pages (they would show source code to anyone who reaches the
    # tunnel), and one log line per entry on stdout.
    config.cache_classes = true
    config.eager_load = true
    config.consider_all_requests_local = false
    $stdout.sync = true
    config.logger = ActiveSupport::Logger.new($stdout)
    config.logger.formatter = OneLineLogFormatter.new
    config.log_level = :info

    config.middleware.insert_before 0, RejectMalformedRequests
    # Conflicting Client-IP and X-Forwarded-For headers would raise while the
    # request is logged, outside Rails' error handling (a 500). The client's
    # IP address plays no part in this app.
    config.action_dispatch.ip_spoofing_check = false

    # There are no cookies or sessions here, so a per-process key will do;
    # production otherwise refuses every request without SECRET_KEY_BASE.
    config.secret_key_base = ENV.fetch("SECRET_KEY_BASE") { SecureRandom.hex(64) }
  end
end
