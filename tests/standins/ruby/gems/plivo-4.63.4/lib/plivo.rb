# frozen_string_literal: true

# Test stand-in for the `plivo` gem, which cannot be installed where this
# repository's tests run (RubyGems is out of reach there). The harness puts
# this directory on GEM_PATH (see specifications/) only when `require "plivo"`
# finds no real gem, so examples/ruby never ships or depends on it.
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
# * `Plivo::Utils.compute_signatureV3?(url, auth_token, nonce)` is the gem's
#   HMAC step, public as every method of Plivo::Utils is (module_function).
#   The example does not call `valid_signatureV3?`, whose URL handling drops
#   the port, so the stand-in leaves it out.
# * Like the gem's gemspec, this one does not list rexml, which the gem
#   requires: the example's Gemfile must name it.

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
        # missing_body: the gem's error for an element whose body it requires.
        attr_reader :allowed_attributes, :allowed_children, :missing_body
      end

      attr_reader :name, :node

      def initialize(body = nil, attributes = {})
        raise PlivoXMLError, self.class.missing_body if body.nil? && self.class.missing_body

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
      @missing_body = "No number set for Number"
    end

    class Speak < Element
      @allowed_attributes = %w[voice language loop]
      @allowed_children = []
      @missing_body = "No text set for Speak"
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

    # As in the gem: Base64 of HMAC-SHA256(auth_token, url + "." + nonce),
    # through Base64.encode64 and strip.
    def compute_signatureV3?(url, auth_token, nonce) # rubocop:disable Naming/MethodName
      Base64.encode64(OpenSSL::HMAC.digest(OpenSSL::Digest.new("sha256"), auth_token, "#{url}.#{nonce}")).strip
    end
  end
end
