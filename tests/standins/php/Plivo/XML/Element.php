<?php

namespace Plivo\XML;

use Plivo\Exceptions\PlivoXMLException;

/**
 * Stand-in for the SDK's XML element: the behaviour the example relies on,
 * including the quirks a reader meets with the real SDK.
 */
abstract class Element
{
    /** Attribute names this element accepts; anything else throws. */
    protected const ATTRIBUTES = [];

    /** Element names this element may contain. */
    protected const CHILDREN = [];

    private $text;
    private $attributes = [];
    private $children = [];

    public function __construct($body = null, $attributes = [])
    {
        $this->text = $body;
        foreach ($attributes ?: [] as $name => $value) {
            if (!in_array($name, static::ATTRIBUTES, true)) {
                throw new PlivoXMLException('invalid attribute '.$name.' for '.$this->getName());
            }
            $this->attributes[$name] = self::attributeText($value);
        }
    }

    /**
     * The SDK maps attribute values with loose comparisons, in this order, so
     * true becomes "true" but false (like 0, '' and null) becomes "none".
     */
    private static function attributeText($value)
    {
        if ($value == 'true') {
            return 'true';
        }
        if ($value == 'false') {
            return 'false';
        }
        if ($value == null) {
            return 'none';
        }
        if (in_array($value, ['get', 'post', 'man', 'woman'], true)) {
            return strtoupper($value);
        }

        return $value;
    }

    public function getName()
    {
        $class = get_class($this);

        return substr($class, strrpos($class, '\\') + 1);
    }

    /** Adds a child element and returns the child. */
    public function add($element)
    {
        if (!in_array($element->getName(), static::CHILDREN, true)) {
            throw new PlivoXMLException($element->getName().' not nestable in '.$this->getName());
        }
        $this->children[] = $element;

        return $element;
    }

    /** Returns the new Dial (its attributes come first, there is no body). */
    public function addDial($attributes = [])
    {
        return $this->add(new Dial($attributes));
    }

    /** Returns the new Number. */
    public function addNumber($body = null, $attributes = [])
    {
        return $this->add(new Number($body, $attributes));
    }

    /** Unlike addDial and addNumber, returns this element, not the Speak. */
    public function addSpeak($body = null, $attributes = [])
    {
        $this->add(new Speak($body, $attributes));

        return $this;
    }

    /**
     * The element as an XML document: always with a declaration,
     * `<?xml version="1.0"?>` (with `encoding="utf-8"` when $header is true),
     * compact, attributes in the order given, and a final newline.
     */
    public function toXML($header = false)
    {
        $document = $header === true ? new \DOMDocument('1.0', 'utf-8') : new \DOMDocument('1.0');
        $document->appendChild($this->toNode($document));

        return $document->saveXML();
    }

    public function __toString()
    {
        return $this->toXML();
    }

    private function toNode(\DOMDocument $document)
    {
        $node = $document->createElement($this->getName());
        if ($this->text) {
            $node->appendChild($document->createTextNode((string) $this->text));
        }
        foreach ($this->attributes as $name => $value) {
            $node->setAttribute($name, (string) $value);
        }
        foreach ($this->children as $child) {
            $node->appendChild($child->toNode($document));
        }

        return $node;
    }
}
