class ApplicationController < ActionController::API
  private

  # One line per event on stdout, in one write: lines from Puma's threads
  # never merge.
  def log_event(event, fields)
    $stdout.write("#{event} #{fields.map { |name, value| "#{name}=#{log_safe(value)}" }.join(" ")}\n")
  end

  # Spaces, control characters (CR and LF included), NEL and the Unicode line
  # separators become "_": a value can neither end the line nor forge a field.
  # Raw bytes arrive as binary strings; invalid UTF-8 becomes "_" too.
  def log_safe(value)
    value.to_s.dup.force_encoding(Encoding::UTF_8).scrub("_").gsub(/[\u0000-\u0020\u007F-\u009F\u2028\u2029]/, "_")
  end
end
