# frozen_string_literal: true

# Test stand-in for the `plivo` gem, which cannot be installed where this
# repository's tests run (RubyGems is out of reach there). The harness puts
# this directory on RUBYLIB only when `require "plivo"` finds no real gem, so
# examples/ruby never ships or depends on it.
#
# It covers exactly the calls examples/ruby makes, and behaves the way plivo
# 4.x behaves for them, quirks included, so the example cannot pass here with
# code that would break against the real gem:
#
# * XML elements are added through method_missing: `addDial(...)` and `Dial(...)`
#   work, snake_case `add_dial` fails with "wrong constant name _dial".
# * Attributes outside an element's whitelist raise PlivoXMLError.
# * `to_xml` / `to_s` give REXML's compact output: no XML declaration,
#   single-quoted attributes in alphabetical order, `&` escaped as `&amp;`.
# * `Plivo::Utils.valid_signatureV3?` rebuilds the URL from URI#host, so an
#   explicit port is dropped; it rewrites the URL string in place (a frozen
#   string raises FrozenError); it always appends "?" when params is a Hash,
#   even an empty one; it splits the signature header on "," without trimming.
#   It percent-decodes a query string the way URI.decode did. (The gem's own
#   source calls URI.decode there, which Ruby 3.0 removed; the example does
#   not hand the SDK URLs with a query, so either way it is not exercised.)

require "base64"
require "openssl"
require "rexml/document"
require "uri"

module Plivo
  module Exceptions
    class PlivoXMLError < StandardError; end
  end

  module XML
    PlivoXMLError = Exceptions::PlivoXMLError

    class Element
      class << self
        attr_reader :allowed_attributes, :allowed_children
      end

      attr_reader :name, :node

      def initialize(body = nil, attributes = {})
        @name = self.class.name.split("::").last
        @node = REXML::Element.new(@name)
        attributes.each do |key, value|
          unless self.class.allowed_attributes.include?(key.to_s)
            raise PlivoXMLError, "invalid attribute #{key} for #{@name}"
          end

          @node.attributes[key.to_s] = attribute_text(value)
        end
        @node.text = body if body
      end

      # `addDial(attrs)` becomes `add(Plivo::XML::Dial.new(attrs))`. Whatever
      # follows "add" is taken as the class name, so `add_dial` asks for a
      # constant named `_dial`. Like the gem, no respond_to_missing?.
      def method_missing(method, *args)
        class_name = method.to_s.sub(/\Aadd/, "")
        add(Plivo::XML.const_get(class_name).new(*args))
      rescue StandardError => e
        raise PlivoXMLError, e.message
      end

      def add(element)
        unless self.class.allowed_children.include?(element.name)
          raise PlivoXMLError, "#{element.name} not nestable in #{@name}"
        end

        @node.add_element(element.node)
        element
      end

      def to_xml
        @node.to_s
      end

      def to_s
        @node.to_s
      end

      private

      def attribute_text(value)
        case value
        when true then "true"
        when false then "false"
        when nil then "none"
        when "get" then "GET"
        when "post" then "POST"
        else value
        end
      end
    end

    class Response < Element
      @allowed_attributes = []
      @allowed_children = %w[Dial Hangup Speak]

      def initialize
        super(nil, {})
      end
    end

    class Dial < Element
      @allowed_attributes = %w[
        action method timeout hangupOnStar timeLimit callerId callerName
        confirmSound confirmTimeout confirmKey dialMusic callbackUrl
        callbackMethod redirect digitsMatch digitsMatchBLeg sipHeaders
      ]
      @allowed_children = %w[Number]

      def initialize(attributes = {})
        super(nil, attributes)
      end
    end

    class Number < Element
      @allowed_attributes = %w[sendDigits sendOnPreanswer]
      @allowed_children = []

      def initialize(body, attributes = {})
        raise PlivoXMLError, "No number set for Number" unless body

        super
      end
    end

    class Speak < Element
      @allowed_attributes = %w[voice language loop]
      @allowed_children = []

      def initialize(body, attributes = {})
        raise PlivoXMLError, "No text set for Speak" unless body

        super
      end
    end

    class Hangup < Element
      @allowed_attributes = %w[reason schedule]
      @allowed_children = []

      def initialize(attributes = {})
        super(nil, attributes)
      end
    end
  end

  module Utils
    module_function

    def valid_signatureV3?(uri, nonce, signature, auth_token, method, params = {}) # rubocop:disable Naming/MethodName
      message = "#{v3_signed_url(uri, params, method)}.#{nonce}"
      expected = Base64.strict_encode64(OpenSSL::HMAC.digest("SHA256", auth_token, message))
      signature.split(",").include?(expected)
    end

    def v3_signed_url(uri, params, method)
      uri.sub!("+", "%20")
      parsed = URI.parse(uri)
      signed = "#{parsed.scheme}://#{parsed.host}#{parsed.path}"
      query = parsed.query.to_s
      signed += "?" unless params.to_s.empty? && query.empty?
      query_fields = v3_query_fields(URI::DEFAULT_PARSER.unescape(query))
      # `+` rather than interpolation: as in the gem, a value that is not a
      # String raises TypeError.
      if method == "GET"
        fields = query_fields.merge(params)
        signed + fields.keys.sort.map { |key| key + "=" + fields[key] }.join("&")
      elsif query.empty?
        signed + v3_concatenated(params)
      else
        query_part = query_fields.keys.sort.map { |key| key + "=" + query_fields[key] }.join("&")
        "#{signed}#{query_part}.#{v3_concatenated(params)}".chomp(".")
      end
    end

    def v3_query_fields(query)
      query.split("&").each_with_object({}) do |pair, fields|
        key, value = pair.split("=", 2)
        fields[key] = value if value
      end
    end

    def v3_concatenated(params)
      params.keys.sort.map { |key| "#{key}#{params[key]}" }.join
    end

    private_class_method :v3_signed_url, :v3_query_fields, :v3_concatenated
  end
end
