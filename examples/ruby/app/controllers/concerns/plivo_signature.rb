# Checks Plivo's V3 signature before any action runs: 403 and one
# request-refused line for a request without a valid one.
module PlivoSignature
  extend ActiveSupport::Concern

  included do
    before_action :verify_plivo_signature
  end

  private

  # Plivo's fields, flat: the form body of a POST (none in a body of another
  # type), the query string of a GET. Not `params`, which mixes the two and
  # nests `a[b]=c`.
  def plivo_fields
    @plivo_fields ||= URI.decode_www_form(request.post? ? form_body : request.query_string)
  end

  def form_body
    request.media_type == "application/x-www-form-urlencoded" ? request.raw_post.to_s : ""
  end

  # --8<-- [start:verify]
  def verify_plivo_signature
    nonce = request.headers["X-Plivo-Signature-V3-Nonce"].to_s
    signatures = request.headers["X-Plivo-Signature-V3"].to_s
    return refuse("no-signature") if nonce.empty? || signatures.empty?

    refuse("bad-signature") unless plivo_signed?(nonce, signatures)
  end

  # The URL as Plivo called it: the public base, then the path and query as they arrived.
  def plivo_url
    Rails.configuration.x.public_url + request.original_fullpath.dup.force_encoding(Encoding::UTF_8)
  end

  def plivo_signed?(nonce, signatures)
    expected = Plivo::Utils.compute_signatureV3?(plivo_signed_text, Rails.configuration.x.plivo_auth_token, nonce)
    # One match among the comma-separated signatures is enough.
    signatures.split(",").any? { |signature| ActiveSupport::SecurityUtils.secure_compare(signature, expected) }
  rescue ArgumentError, EncodingError # malformed %-escapes or bytes: no signature can match
    false
  end

  # What Plivo signs. Not Plivo::Utils.valid_signatureV3? (plivo 4.63): it
  # rebuilds the URL from URI#host, dropping the port, turns a "+" into "%20"
  # and decodes the query before splitting it; its HMAC is used as it is.
  def plivo_signed_text
    base, query = plivo_url.split("?", 2)
    query = URI.decode_www_form(query.to_s).sort.map { |pair| pair.join("=") }.join("&")
    return [base, query.presence].compact.join("?") if signed_body.empty?

    "#{base}?#{"#{query}." if query.present?}#{signed_body}"
  end

  # A POST's form fields, sorted and concatenated as namevalue.
  def signed_body
    request.post? ? plivo_fields.sort.map(&:join).join : ""
  end
  # --8<-- [end:verify]

  def refuse(reason)
    log_event("request-refused", "reason" => reason, "url" => plivo_url)
    render plain: "Invalid or missing Plivo signature\n", status: :forbidden
  end
end
