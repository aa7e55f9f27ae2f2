# Plivo's webhooks for one <Dial>: the answer URL returns the XML that dials,
# the action URL hears how the dial ended and says what happens next.
class DialStatusController < ApplicationController
  STATUS_FIELDS = {
    "status" => "DialStatus",
    "aleg" => "DialALegUUID",
    "bleg" => "DialBLegUUID",
    "hangup_cause" => "DialHangupCause",
    "rang" => "DialRingStatus"
  }.freeze

  # Plivo cannot send Rails' CSRF token, so forgery protection would turn its
  # POSTs into 422s. Its signature authenticates these requests instead.
  skip_forgery_protection only: %i[answer dial_action method_not_allowed]

  before_action :read_plivo_fields, :verify_plivo_signature, only: %i[answer dial_action]

  # --8<-- [start:answer]
  def answer
    attributes = {
      "action" => "#{Rails.configuration.x.public_url}/dialstatus/action/",
      "method" => "POST",
      "redirect" => "true"
    }
    plivo_xml = Plivo::XML::Response.new
    dial = plivo_xml.addDial(attributes)
    dial.addNumber(Rails.configuration.x.dial_number)
    render xml: plivo_xml.to_xml
  end
  # --8<-- [end:answer]

  # --8<-- [start:action]
  def dial_action
    status = @plivo_fields["DialStatus"]
    return render(plain: "DialStatus is missing\n", status: :bad_request) if status.blank?

    fields = STATUS_FIELDS.map { |name, field| "#{name}=#{log_safe(@plivo_fields[field])}" }
    logger.info("dial-status #{fields.join(" ")}")

    plivo_xml = Plivo::XML::Response.new
    # redirect="true": Plivo carries on with the XML returned here. An empty
    # <Response/> ends the call; any other outcome gets a spoken explanation.
    unless status == "completed"
      plivo_xml.addSpeak("Sorry, the person you are calling could not be reached. Please try again later.")
    end
    render xml: plivo_xml.to_xml
  end
  # --8<-- [end:action]

  def method_not_allowed
    response.set_header("Allow", "GET, POST")
    render plain: "Method not allowed\n", status: :method_not_allowed
  end

  private

  # Plivo's fields: the form body of a POST, the query string of a GET. Read
  # flat from the raw text rather than from `params`, which mixes query, body
  # and route values and turns `a[b]=c` into nested hashes.
  def read_plivo_fields
    text = request.post? ? request.raw_post.to_s : request.query_string
    if request.post? && !form_body?(text)
      return render(plain: "Expected an application/x-www-form-urlencoded body\n", status: :unsupported_media_type)
    end

    pairs = URI.decode_www_form(text)
    unless pairs.flatten.all?(&:valid_encoding?)
      return render(plain: "Form fields must be UTF-8\n", status: :bad_request)
    end

    @plivo_pairs = pairs
    @plivo_fields = pairs.to_h
  rescue ArgumentError # malformed %-escapes or raw non-ASCII bytes
    render plain: "Malformed form data\n", status: :bad_request
  end

  def form_body?(body)
    request.media_type == "application/x-www-form-urlencoded" || (body.empty? && request.media_type.blank?)
  end

  # --8<-- [start:verify]
  def verify_plivo_signature
    # The path as Plivo requested it: the router strips a trailing "/" from request.path.
    url = Rails.configuration.x.public_url + request.original_fullpath
    nonce = request.headers["X-Plivo-Signature-V3-Nonce"].to_s
    signatures = request.headers["X-Plivo-Signature-V3"].to_s
    # POST: the body's fields are signed on top of the URL. GET: they are in the URL already.
    body_pairs = request.post? ? @plivo_pairs : []

    return if nonce.present? && signatures.present? && plivo_signed?(url, nonce, signatures, body_pairs)

    render plain: "Invalid or missing Plivo signature\n", status: :forbidden
  end

  # The SDK's helper gets Plivo's usual request right: a POST with form fields
  # to a URL with no port and no query. Anything else is checked below.
  def plivo_signed?(url, nonce, signatures, body_pairs)
    auth_token = Rails.configuration.x.plivo_auth_token
    if Rails.configuration.x.public_url_has_port || url.include?("?") || body_pairs.empty?
      return signed_as_plivo_does?(url, nonce, signatures, body_pairs, auth_token)
    end

    # The SDK edits the URL string in place and wants String keys and values.
    Plivo::Utils.valid_signatureV3?(url.dup, nonce, signatures, auth_token, request.request_method, body_pairs.to_h)
  rescue StandardError => e # a URL or field the SDK cannot parse is not a valid signature
    logger.warn("Plivo signature check failed: #{e.class}")
    false
  end

  # Where the Ruby SDK's helper signs something other than Plivo does: it
  # rebuilds the URL from URI#host, dropping the port; it signs "url?" for a
  # request without fields; and for a URL with a query it calls URI.decode,
  # which Ruby 3.0 removed. Here, the same V3 algorithm: HMAC-SHA256 of the
  # URL as Plivo called it, the sorted fields and the nonce.
  def signed_as_plivo_does?(url, nonce, signatures, body_pairs, auth_token)
    base, query = url.split("?", 2)
    signed_query = URI.decode_www_form(query.to_s).sort.map { |key, value| "#{key}=#{value}" }.join("&")
    signed =
      if body_pairs.empty?
        signed_query.empty? ? base : "#{base}?#{signed_query}"
      else
        "#{base}?#{"#{signed_query}." unless signed_query.empty?}#{body_pairs.sort.map(&:join).join}"
      end
    expected = Base64.strict_encode64(OpenSSL::HMAC.digest("SHA256", auth_token, "#{signed}.#{nonce}"))
    # One match among the comma-separated signatures is enough, as in the SDK.
    signatures.split(",").any? { |signature| ActiveSupport::SecurityUtils.secure_compare(signature, expected) }
  end
  # --8<-- [end:verify]

  # Control characters, spaces and C1 codes become "_": a value can neither
  # end the log line nor pose as another field.
  def log_safe(value)
    value.to_s.gsub(/[\u0000-\u0020\u007F-\u009F]/, "_")
  end
end
