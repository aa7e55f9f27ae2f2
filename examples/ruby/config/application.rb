require_relative "boot"

require "rails"
# No database, no views, no mailers: the controller framework is all this app uses.
require "action_controller/railtie"

# Require the gems listed in Gemfile, plivo among them.
Bundler.require(*Rails.groups)

module DialStatus
  class Application < Rails::Application
    config.load_defaults 6.1
    # A webhook-only app: no cookies, sessions, views or CSRF tokens.
    config.api_only = true
  end
end
