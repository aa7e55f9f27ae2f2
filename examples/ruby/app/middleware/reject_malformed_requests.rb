# Rack middleware, first in the stack: turns away request bodies over 64 KiB
# and parameters Rack cannot parse, before Rails reads them.
#
# Rails parses every request's parameters before the controller runs (to log
# them), and Rails 6.1 answers some of Rack's parse errors (over 4096
# parameters, nesting deeper than 100, an over-long key) with a 500, twice
# over: its error page reads the parameters again. Parsed here first, such
# input gets a 400 instead; parsed cleanly, Rack keeps the result for Rails.
class RejectMalformedRequests
  MAX_BODY_BYTES = 64 * 1024

  def initialize(app)
    @app = app
  end

  def call(env)
    request = Rack::Request.new(env)
    return plain_text(413, "Request body too large") if request.content_length.to_i > MAX_BODY_BYTES
    return plain_text(400, "Malformed parameters") unless parsable?(request)

    @app.call(env)
  end

  private

  def parsable?(request)
    request.GET
    request.POST
    true
  rescue StandardError # whatever Rack raises here, the input is at fault
    false
  end

  def plain_text(status, message)
    [status, { "content-type" => "text/plain; charset=utf-8" }, ["#{message}\n"]]
  end
end
