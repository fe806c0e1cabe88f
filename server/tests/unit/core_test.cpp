// core/: errors, text, formats, time, JSON input.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "core/countries.hpp"
#include "core/error.hpp"
#include "core/formats.hpp"
#include "core/image.hpp"
#include "core/json_input.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

using namespace clientele;

TEST(Errors, EveryCodeHasAStatusAndAUniqueSlug) {
    std::set<std::string_view> slugs;
    for (Code code : all_codes()) {
        const CodeInfo& info = code_info(code);
        EXPECT_GE(info.status, 400);
        EXPECT_LT(info.status, 600);
        EXPECT_TRUE(slugs.insert(info.slug).second) << info.slug;
    }
    EXPECT_EQ(code_info(Code::validation_failed).status, 422);
    EXPECT_EQ(code_info(Code::precondition_failed).slug, "precondition-failed");
}

TEST(Text, Utf8Validity) {
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("Zoë Müller 東京 😀"));
    EXPECT_FALSE(is_valid_utf8("\xff"));
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // UTF-16 surrogate
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
    EXPECT_EQ(utf8_length("Zoë"), 3u);
}

TEST(Text, FoldCaseAndTrim) {
    EXPECT_EQ(fold_case("John DOE"), "john doe");
    EXPECT_EQ(fold_case("ZOË"), fold_case("zoë"));
    EXPECT_EQ(fold_case("Straße"), "strasse");
    EXPECT_EQ(trim("  a b \t\n"), "a b");
    EXPECT_EQ(trim("   "), "");
}

TEST(Formats, Email) {
    EXPECT_TRUE(is_valid_email("john.doe@example.com"));
    EXPECT_TRUE(is_valid_email("a+tag@sub.example.co.uk"));
    EXPECT_TRUE(is_valid_email("x@xn--mller-kva.de"));
    for (auto bad : {"", "plain", "@example.com", "a@", "a@b", "a@b.c", "a..b@example.com",
                     ".a@example.com", "a@-example.com", "a@example..com", "a b@example.com",
                     "a@example.com.", "a@exa_mple.com", "a@example.123"}) {
        EXPECT_FALSE(is_valid_email(bad)) << bad;
    }
    EXPECT_FALSE(is_valid_email(std::string(65, 'a') + "@example.com"));
}

TEST(Formats, PhoneLocaleCountry) {
    EXPECT_TRUE(is_valid_phone("+1234567890"));
    EXPECT_TRUE(is_valid_phone("+1 (212) 555-0100"));
    EXPECT_FALSE(is_valid_phone("12"));
    EXPECT_FALSE(is_valid_phone("1+23"));
    EXPECT_FALSE(is_valid_phone("call me"));
    EXPECT_TRUE(is_valid_locale("en"));
    EXPECT_TRUE(is_valid_locale("en-US"));
    EXPECT_TRUE(is_valid_locale("zh-Hant-TW"));
    EXPECT_FALSE(is_valid_locale("e"));
    EXPECT_FALSE(is_valid_locale("en-"));
    EXPECT_FALSE(is_valid_locale("en_US"));
}

TEST(Countries, ComeFromIsoCodes) {
    EXPECT_GT(countries().size(), 240u);
    ASSERT_TRUE(find_country("DE"));
    EXPECT_EQ(find_country("DE")->name, "Germany");
    EXPECT_FALSE(find_country("de"));
    EXPECT_FALSE(find_country("ZZ"));
    EXPECT_FALSE(find_country("DEU"));
}

TEST(Countries, SubdivisionsBelongToTheirCountry) {
    ASSERT_TRUE(find_subdivision("US", "IL"));
    EXPECT_EQ(find_subdivision("US", "IL")->name, "Illinois");
    EXPECT_EQ(find_subdivision("US", "us-il"),
              find_subdivision("US", "IL"));  // either form, any case
    EXPECT_FALSE(find_subdivision("DE", "IL"));
    EXPECT_FALSE(find_subdivision("US", "DE-BE"));
    EXPECT_FALSE(find_subdivision("ZZ", "IL"));
    EXPECT_EQ(find_subdivision("JP", "13")->name, "Tokyo");
    EXPECT_GT(subdivisions("IN").size(), 30u);
    EXPECT_TRUE(subdivisions("ZZ").empty());
}

TEST(Formats, Website) {
    EXPECT_EQ(normalize_website("example.com"), "https://example.com");
    EXPECT_EQ(normalize_website("http://shop.example.com/a?b=1"), "http://shop.example.com/a?b=1");
    EXPECT_EQ(normalize_website("HTTPS://Example.com"), "HTTPS://Example.com");
    EXPECT_EQ(normalize_website("ftp://example.com"), std::nullopt);
    EXPECT_EQ(normalize_website("http://localhost"), std::nullopt);
    EXPECT_EQ(normalize_website("http://user:pw@example.com"), std::nullopt);
    EXPECT_EQ(normalize_website("http://10.0.0.1"), std::nullopt);
    EXPECT_EQ(normalize_website("not a url"), std::nullopt);
    EXPECT_EQ(normalize_website(""), std::nullopt);
}

TEST(Time, FormatsAndParses) {
    using namespace std::chrono;
    auto t =
        sys_days{year{2026} / 11 / 24} + hours{5} + minutes{5} + seconds{6} + milliseconds{123};
    EXPECT_EQ(format_timestamp(t), "2026-11-24T05:05:06.123Z");
    EXPECT_EQ(parse_timestamp("2026-11-24T05:05:06.123Z"), t);
    EXPECT_EQ(parse_timestamp("2026-11-24T07:05:06.123+02:00"), t);
    EXPECT_EQ(format_timestamp(*parse_timestamp("2026-11-24")), "2026-11-24T00:00:00.000Z");
    EXPECT_FALSE(parse_date("2026-02-30"));
    EXPECT_FALSE(parse_date("2026-2-3"));
    EXPECT_TRUE(parse_date("2024-02-29"));
    EXPECT_FALSE(parse_timestamp("2026-11-24T25:00Z"));
    EXPECT_FALSE(parse_timestamp("yesterday"));
}

TEST(JsonInput, CollectsEveryError) {
    std::vector<FieldError> errors;
    auto body = parse_json_object(R"({"name": 5, "email": null, "extra": 1, "bad": "\u00e9"})");
    ObjectReader in(body, "", errors);
    auto name = in.string("name");
    auto email = in.string("email", {.nullable = false});
    in.string("bad");
    in.finish();
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].field, "name");
    EXPECT_EQ(errors[0].message, "must be a string");
    EXPECT_EQ(errors[1].field, "email");
    EXPECT_EQ(errors[2].field, "extra");
    EXPECT_EQ(errors[2].message, "is not a known field");
    EXPECT_THROW(throw_if_invalid(errors), Error);
}

TEST(JsonInput, NamesTheFieldWithBadUtf8) {
    std::vector<FieldError> errors;
    auto body = parse_json_object("{\"address\": {\"city\": \"\xff\"}}");
    ObjectReader in(body, "", errors);
    auto address = in.object("address");
    ASSERT_TRUE(address.value);
    ObjectReader a(*address.value, "address", errors);
    a.string("city");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].field, "address.city");
    EXPECT_EQ(errors[0].message, "must be valid UTF-8");
}

TEST(JsonInput, RejectsNonObjects) {
    for (auto bad : {"", "[1]", "42", "{", "{\"a\":}", "nul"}) {
        try {
            parse_json_object(bad);
            ADD_FAILURE() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Code::malformed_json) << bad;
        }
    }
}

TEST(Text, ControlCharacters) {
    EXPECT_FALSE(has_control_characters("Zoë Müller 東京 😀"));
    for (std::string_view bad :
         {std::string_view("a\0b", 3), std::string_view("\x01"), std::string_view("a\x1b[31m"),
          std::string_view("\x7f"), std::string_view("\xc2\x85"), std::string_view("\xc2\x9f")}) {
        EXPECT_TRUE(has_control_characters(bad)) << bad;
        EXPECT_TRUE(has_control_characters(bad, true)) << bad;
    }
    EXPECT_FALSE(has_control_characters("\xc2\xa0\xc2\xbf"));  // U+00A0, U+00BF: not controls
    for (std::string_view text : {"a\tb", "line\nline", "line\r\nline"}) {
        EXPECT_TRUE(has_control_characters(text)) << text;
        EXPECT_FALSE(has_control_characters(text, true)) << text;
    }
    EXPECT_TRUE(has_control_characters("a\rb", true));  // a CR alone is no line break
    EXPECT_TRUE(has_control_characters("a\r", true));
}

TEST(JsonInput, RefusesControlCharactersNamingTheField) {
    std::vector<FieldError> errors;
    auto body = parse_json_object(
        R"({"name": "\u0000abc", "city": "a\tb", "notes": "one\ntwo\tthree\r\n", "bell": "\u0007",)"
        R"( "trimmed": " Zoë\n"})");
    ObjectReader in(body, "", errors);
    EXPECT_EQ(in.string("name").value, "");  // refused: nothing read
    EXPECT_EQ(in.string("city").value, "");
    auto notes = in.string("notes", {.trim = false, .multiline = true});
    EXPECT_EQ(in.string("bell", {.multiline = true}).value, "");
    auto trimmed = in.string("trimmed");  // line breaks trimmed from the ends are not in the value
    in.finish();
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].field, "name");
    EXPECT_EQ(errors[0].message,
              "must not contain control characters (line breaks and tabs included)");
    EXPECT_EQ(errors[1].field, "city");
    EXPECT_EQ(errors[2].field, "bell");
    EXPECT_EQ(notes.value, "one\ntwo\tthree\r\n");
    EXPECT_EQ(trimmed.value, "Zoë");

    EXPECT_TRUE(json_has_control_characters(boost::json::parse(R"({"a": [{"b": "x\u0000"}]})")));
    EXPECT_TRUE(json_has_control_characters(boost::json::parse(R"({"a\u001b": 1})")));
    EXPECT_FALSE(json_has_control_characters(boost::json::parse(R"({"a": ["x\ty\nz"]})")));
}

// Boost.JSON keeps the last of two equal keys: {"role":"viewer","role":"owner"} must not pass.
TEST(JsonInput, RefusesAKeyNamedTwiceAtAnyDepth) {
    for (auto bad : {R"({"role": "viewer", "role": "owner"})", R"({"a": 1, "b": 2, "a": 1})",
                     R"({"x": {"city": "a", "city": "b"}})",
                     R"({"p": [1, {"k": [{"z": 1, "z": 2}]}]})", R"({"a": 1, "\u0061": 2})"}) {
        try {
            parse_json_object(bad);
            ADD_FAILURE() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Code::malformed_json) << bad;
            EXPECT_NE(e.detail().find("twice"), std::string::npos) << e.detail();
        }
    }
    // The same key in different objects, or a key equal to a value, is fine.
    auto body = parse_json_object(
        R"({"a": {"x": 1, "y": {"x": 2}}, "b": {"x": 3}, "x": [{"x": 4}, {"x": 5}], "v": "x"})");
    EXPECT_EQ(body.at("b").at("x").as_int64(), 3);
    EXPECT_EQ(body.at("x").as_array()[1].at("x").as_int64(), 5);
    EXPECT_EQ(body.at("a").at("y").at("x").as_int64(), 2);
}

TEST(JsonInput, NestsUpToTheDocumentedDepth) {
    auto nested = [](size_t depth) {
        return std::string(depth - 1, '[') + std::string(depth - 1, ']');
    };
    // The body's own object is one level.
    auto body = parse_json_object("{\"a\": " + nested(max_json_depth) + "}");
    EXPECT_TRUE(body.at("a").is_array());
    try {
        parse_json_object("{\"a\": " + nested(max_json_depth + 1) + "}");
        ADD_FAILURE() << "one level too deep was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Code::malformed_json);
    }
    EXPECT_GE(max_json_depth, 64u);
}

TEST(Image, SniffsTheTypeAndSizeFromTheHeader) {
    // A PNG signature and IHDR of 300 x 200.
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x01\x2c\0\0\0\xc8\x08\x02\0\0\0", 29);
    auto info = sniff_image(png);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->type, ImageType::png);
    EXPECT_EQ(info->width, 300);
    EXPECT_EQ(info->height, 200);
    // A JPEG: SOI, an APP0 segment, then SOF0 with height 480 and width 640.
    std::string jpeg("\xff\xd8\xff\xe0\0\x04JF\xff\xc0\0\x11\x08\x01\xe0\x02\x80\x03", 19);
    info = sniff_image(jpeg);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->type, ImageType::jpeg);
    EXPECT_EQ(info->width, 640);
    EXPECT_EQ(info->height, 480);
    // A lossless WebP of 16 x 8: 14 bits each, minus one.
    std::string webp("RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f\x0f\xc0\x01\0\0\0\0\0\0", 30);
    info = sniff_image(webp);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->type, ImageType::webp);
    EXPECT_EQ(info->width, 16);
    EXPECT_EQ(info->height, 8);
    EXPECT_FALSE(sniff_image("GIF89a"));
    EXPECT_FALSE(sniff_image(png.substr(0, 20)));                         // cut short
    EXPECT_FALSE(sniff_image(std::string("\xff\xd8\xff\xda\0\x02", 6)));  // a scan before a frame
    EXPECT_FALSE(square_thumbnail_png(png, ImageType::png, 64));  // a header is not an image
}

TEST(JsonWriter, WritesWhatBoostJsonReadsBack) {
    std::string text;
    JsonWriter w(text);
    w.begin_object()
        .member("plain", "Zoë \"Z\" \\ /")
        .member("controls", std::string("a\nb\tc\x01\x1f", 7))
        .member("none", std::optional<std::string>())
        .member("n", int64_t(-42))
        .member("amount", 150.0)
        .member("ratio", 0.1)
        .member("yes", true);
    w.key("list").begin_array().value(1).begin_object().end_object().begin_array().end_array();
    w.end_array().key("raw").raw(R"({"k":[1,2]})").end_object();
    EXPECT_EQ(text, R"({"plain":"Zoë \"Z\" \\ /","controls":"a\nb\tc\u0001\u001f","none":null,)"
                    R"("n":-42,"amount":150.0,"ratio":0.1,"yes":true,"list":[1,{},[]],)"
                    R"("raw":{"k":[1,2]}})");
    auto parsed = boost::json::parse(text).as_object();
    EXPECT_EQ(parsed.at("plain").as_string(), "Zoë \"Z\" \\ /");
    EXPECT_EQ(parsed.at("controls").as_string(), std::string("a\nb\tc\x01\x1f", 7));
    EXPECT_EQ(parsed.at("amount").as_double(), 150.0);
}

// Strings are scanned eight bytes at a time: each byte JSON escapes (and a few it does not), at
// each offset of a text longer than two such words, comes out as Boost.JSON writes it.
TEST(JsonWriter, EscapesAtEveryOffset) {
    for (char special : std::string("\"\\\n\b\t\x01\x1f\x7f /", 10)) {
        for (size_t at = 0; at < 20; ++at) {
            std::string value = "abcdefghijklmnopqrstuvwx";
            value[at] = special;
            value[(at + 7) % value.size()] = '"';
            std::string text;
            JsonWriter(text).value(value);
            EXPECT_EQ(text, boost::json::serialize(boost::json::string(value)))
                << int(special) << " at " << at;
            EXPECT_EQ(boost::json::parse(text).as_string(), value) << int(special) << " at " << at;
        }
    }
}

TEST(Text, IdsAreCanonicalPositiveDecimals) {
    EXPECT_EQ(clientele::parse_id("1"), 1);
    EXPECT_EQ(clientele::parse_id("9223372036854775807"), INT64_MAX);
    for (const char* bad :
         {"", "0", "01", "+1", "-1", "1x", " 1", "1 ", "9223372036854775808", "0x10"}) {
        EXPECT_EQ(clientele::parse_id(bad), std::nullopt) << bad;
    }
}
