// clients/: generated credentials; core/gstin and core/phone: GSTIN and phone number checks.
#include <gtest/gtest.h>

#include <set>

#include "auth/crypto.hpp"
#include "clients/credentials.hpp"
#include "core/csv.hpp"
#include "core/gstin.hpp"
#include "core/phone.hpp"

using namespace clientele;
using namespace clientele::clients;

namespace {
class Credentials : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { auth::init_crypto(); }
};
}  // namespace

TEST_F(Credentials, UsernamesComeFromTheCompanyName) {
    EXPECT_EQ(username_base("ABC Store"), "abcstore");
    EXPECT_EQ(username_base("Café Zürich GmbH"), "cafezurichgmbh");
    EXPECT_EQ(username_base("Ørsted & Søn"), "orstedson");
    EXPECT_EQ(username_base("Москва Трейд"), "moskvatrejd");
    EXPECT_EQ(username_base("東京商事"), "dongjingshangshi");
    EXPECT_EQ(username_base("!!!"), "client");
    EXPECT_EQ(username_base("A very long company name indeed, Ltd."), "averylongcompanyname");
}

TEST_F(Credentials, UsernamesAreBaseAndDigitsAndNeverTaken) {
    std::set<std::string> taken;
    for (int i = 0; i < 10000; ++i) {
        std::string name =
            unique_username("abcstore", [&](const std::string& u) { return taken.count(u) > 0; });
        ASSERT_TRUE(name.starts_with("abcstore"));
        std::string digits = name.substr(8);
        ASSERT_GE(digits.size(), 3u);
        ASSERT_EQ(digits.find_first_not_of("0123456789"), std::string::npos) << name;
        ASSERT_TRUE(taken.insert(name).second) << "duplicate " << name;
    }
    EXPECT_EQ(taken.size(), 10000u);  // three digits ran out after 1,000: longer ones followed
}

TEST_F(Credentials, PasswordsAreLongRandomAndWithoutLookAlikes) {
    std::set<std::string> seen;
    std::set<char> used;
    for (int i = 0; i < 2000; ++i) {
        std::string p = generate_password();
        ASSERT_EQ(p.size(), 12u);
        for (char c : p) {
            ASSERT_NE(password_alphabet.find(c), std::string_view::npos) << p;
            used.insert(c);
        }
        ASSERT_TRUE(seen.insert(p).second);
    }
    for (char look_alike : std::string_view("0Oo1Il")) {
        EXPECT_EQ(used.count(look_alike), 0u) << look_alike;
    }
    EXPECT_EQ(used.size(), password_alphabet.size());  // every character turns up
    EXPECT_EQ(generate_password(8).size(), 8u);
}

TEST(Gstin, ChecksShapeStateAndCheckCharacter) {
    EXPECT_TRUE(is_valid_gstin("27AAPFU0939F1ZV"));
    EXPECT_TRUE(is_valid_gstin("29AAGCB7383J1Z4"));
    EXPECT_FALSE(is_valid_gstin("27AAPFU0939F1ZA"));  // wrong check character
    EXPECT_FALSE(is_valid_gstin("27aapfu0939f1zv"));  // lower case
    EXPECT_FALSE(is_valid_gstin("40AAPFU0939F1ZV"));  // no such state
    EXPECT_FALSE(is_valid_gstin("27AAPFU0939F1YV"));  // 14th must be Z
    EXPECT_FALSE(is_valid_gstin("27AAPF10939F1ZV"));  // PAN shape
    EXPECT_FALSE(is_valid_gstin("27AAPFU0939F1Z"));   // 14 characters
}

TEST(Phone, NormalisesToE164ForItsRegion) {
    EXPECT_EQ(to_e164("098765 43210", "IN"), "+919876543210");     // national form with trunk 0
    EXPECT_EQ(to_e164("+91 98765-43210", "US"), "+919876543210");  // +country code wins
    EXPECT_EQ(to_e164("(201) 555-0123", "US"), "+12015550123");
    EXPECT_EQ(to_e164("020 7946 0958", "GB"), "+442079460958");
    EXPECT_EQ(to_e164("12345", "IN"), std::nullopt);        // too short for India
    EXPECT_EQ(to_e164("+1 555 0100", "IN"), std::nullopt);  // not in the North American plan
    EXPECT_EQ(to_e164("call me", "IN"), std::nullopt);
    EXPECT_TRUE(is_phone_region("IN"));
    EXPECT_FALSE(is_phone_region("XX"));
}

TEST(Csv, QuotesAndNeutralisesFormulas) {
    CsvWriter csv;
    csv.row({"plain", "with,comma", "with \"quote\"", "line\nbreak", "=1+1", "-2", "+3", "@SUM(A1)",
             ""});
    EXPECT_EQ(csv.text(),
              "\xEF\xBB\xBFplain,\"with,comma\",\"with \"\"quote\"\"\",\"line\nbreak\",\"'=1+1\","
              "\"'-2\",\"'+3\",\"'@SUM(A1)\",\r\n");
}
