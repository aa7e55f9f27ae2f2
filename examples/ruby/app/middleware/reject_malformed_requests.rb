# Rack middleware, first in the stack: 405 for a method Rails does not know
# (which it would log with a stack trace), 413 for a body over 64 KiB, 400
# for parameters Rails cannot parse. Rails parses every request's parameters
# to log them, before any controller code runs, and answers some of Rack's
# refusals (over 4096 fields, nesting over 100 levels) with a 500.
class RejectMalformedRequests
  MAX_BODY_BYTES = 64 * 1024

  def initialize(app)
    @app = app
  end

  def call(env)
    unless ActionDispatch::Request::HTTP_METHOD_LOOKUP.key?(env["REQUEST_METHOD"])
      return plain_text(405, "Method not allowed").tap { |response| response[1]["Allow"] = "GET, POST" }
    end

    request = ActionDispatch::Request.new(env)
    return plain_text(413, "Request body too large") if request.content_length.to_i > MAX_BODY_BYTES
    return plain_text(400, "Malformed parameters") unless parsable?(request)

    @app.call(env)
  end

  private

  # Parsed once here, the result is kept in env for Rails.
  def parsable?(request)
    request.GET
    request.POST
    true
  rescue StandardError # whatever the parser raises, the input is at fault
    false
  end

  def plain_text(status, message)
    [status, { "Content-Type" => "text/plain; charset=utf-8" }, ["#{message}\n"]]
  end
end
