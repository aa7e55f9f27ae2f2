# The SDK stand-in, installed as the gem it stands in for: with this
# directory on GEM_PATH, Bundler resolves the example's `gem "plivo", "~> 4.63"`
# to it. The version is the one the stand-in was written against.
Gem::Specification.new do |spec|
  spec.name = "plivo"
  spec.version = "4.63.4"
  spec.summary = "Test stand-in for the plivo gem"
  spec.authors = ["dial status guide tests"]
  spec.files = ["lib/plivo.rb"]
  spec.require_paths = ["lib"]
end
