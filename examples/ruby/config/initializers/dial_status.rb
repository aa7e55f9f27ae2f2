# The settings, read from the environment once, where the app is created:
# whatever starts it, it refuses to run without a token or with a bad PORT.
auth_token = ENV["PLIVO_AUTH_TOKEN"].presence or
  abort "PLIVO_AUTH_TOKEN is not set. Set it to the Auth Token of your Plivo account."
port = ENV.fetch("PORT", "8082")
unless port.match?(/\A\d{1,5}\z/) && port.to_i.between?(1, 65_535)
  abort "PORT must be a port number from 1 to 65535, not #{port.inspect}."
end

Rails.application.configure do
  config.x.plivo_auth_token = auth_token
  # The base URL Plivo uses to reach this app (your tunnel or domain).
  config.x.public_url = ENV.fetch("PUBLIC_URL", "http://127.0.0.1:#{port}").chomp("/")
  config.x.dial_number = ENV["DIAL_NUMBER"].presence || "+15555550100"
  config.middleware.insert_before 0, RejectMalformedRequests
end

# Each event line is one write, flushed at once.
$stdout.sync = true
