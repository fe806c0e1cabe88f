#include "core/image.hpp"

#include <gd.h>

#include <algorithm>
#include <cstdint>
#include <memory>

namespace clientele {

namespace {

uint32_t be16(std::string_view b, size_t at) {
    return (uint32_t(uint8_t(b[at])) << 8) | uint8_t(b[at + 1]);
}
uint32_t be32(std::string_view b, size_t at) {
    return (be16(b, at) << 16) | be16(b, at + 2);
}
uint32_t le16(std::string_view b, size_t at) {
    return uint8_t(b[at]) | (uint32_t(uint8_t(b[at + 1])) << 8);
}
uint32_t le24(std::string_view b, size_t at) {
    return le16(b, at) | (uint32_t(uint8_t(b[at + 2])) << 16);
}
uint32_t le32(std::string_view b, size_t at) {
    return le16(b, at) | (le16(b, at + 2) << 16);
}

// The headers are read by hand: libgd has no "size only" call, and an image must be measured
// before it is decoded, or a small file declaring 50,000 × 50,000 pixels would make the decoder
// allocate gigabytes.
std::optional<ImageInfo> sniff_png(std::string_view b) {
    if (b.size() < 24 || b.substr(0, 8) != std::string_view("\x89PNG\r\n\x1a\n", 8) ||
        b.substr(12, 4) != "IHDR") {
        return std::nullopt;
    }
    return ImageInfo{ImageType::png, int(be32(b, 16) & 0x7fffffff), int(be32(b, 20) & 0x7fffffff)};
}

std::optional<ImageInfo> sniff_jpeg(std::string_view b) {
    if (b.size() < 4 || uint8_t(b[0]) != 0xFF || uint8_t(b[1]) != 0xD8) {
        return std::nullopt;
    }
    size_t at = 2;
    while (at + 4 <= b.size()) {
        if (uint8_t(b[at]) != 0xFF) {
            return std::nullopt;
        }
        uint8_t marker = uint8_t(b[at + 1]);
        if (marker == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
            at += 2;
            continue;
        }
        uint32_t length = be16(b, at + 2);
        bool frame =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            if (at + 9 > b.size()) {
                return std::nullopt;
            }
            return ImageInfo{ImageType::jpeg, int(be16(b, at + 7)), int(be16(b, at + 5))};
        }
        if (marker == 0xD9 || marker == 0xDA || length < 2) {  // end or scan before a frame
            return std::nullopt;
        }
        at += 2 + length;
    }
    return std::nullopt;
}

std::optional<ImageInfo> sniff_webp(std::string_view b) {
    if (b.size() < 30 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WEBP") {
        return std::nullopt;
    }
    std::string_view chunk = b.substr(12, 4);
    if (chunk == "VP8 " && b.substr(23, 3) == std::string_view("\x9d\x01\x2a", 3)) {
        return ImageInfo{ImageType::webp, int(le16(b, 26) & 0x3fff), int(le16(b, 28) & 0x3fff)};
    }
    if (chunk == "VP8L" && uint8_t(b[20]) == 0x2f) {
        uint32_t bits = le32(b, 21);
        return ImageInfo{ImageType::webp, int((bits & 0x3fff) + 1),
                         int(((bits >> 14) & 0x3fff) + 1)};
    }
    if (chunk == "VP8X") {
        return ImageInfo{ImageType::webp, int(le24(b, 24) + 1), int(le24(b, 27) + 1)};
    }
    return std::nullopt;
}

struct ImageDeleter {
    void operator()(gdImagePtr image) const { gdImageDestroy(image); }
};
using Image = std::unique_ptr<gdImage, ImageDeleter>;

Image decode(std::string_view bytes, ImageType type) {
    void* data = const_cast<char*>(bytes.data());  // libgd's read functions do not write
    int size = int(bytes.size());
    switch (type) {
        case ImageType::png:
            return Image(gdImageCreateFromPngPtr(size, data));
        case ImageType::jpeg:
            return Image(gdImageCreateFromJpegPtr(size, data));
        case ImageType::webp:
            return Image(gdImageCreateFromWebpPtr(size, data));
    }
    return nullptr;
}

}  // namespace

std::optional<ImageInfo> sniff_image(std::string_view bytes) {
    std::optional<ImageInfo> info = sniff_png(bytes);
    if (!info)
        info = sniff_jpeg(bytes);
    if (!info)
        info = sniff_webp(bytes);
    if (!info || info->width < 1 || info->height < 1) {
        return std::nullopt;
    }
    return info;
}

std::string_view mime_type(ImageType type) {
    switch (type) {
        case ImageType::png:
            return "image/png";
        case ImageType::jpeg:
            return "image/jpeg";
        case ImageType::webp:
            return "image/webp";
    }
    return "application/octet-stream";
}

std::optional<std::string> square_thumbnail_png(std::string_view bytes, ImageType type, int size) {
    Image source = decode(bytes, type);
    if (!source) {
        return std::nullopt;
    }
    int width = gdImageSX(source.get());
    int height = gdImageSY(source.get());
    int side = std::min(width, height);
    Image thumb(gdImageCreateTrueColor(size, size));
    if (!thumb) {
        return std::nullopt;
    }
    gdImageAlphaBlending(thumb.get(), 0);
    gdImageSaveAlpha(thumb.get(), 1);
    gdImageCopyResampled(thumb.get(), source.get(), 0, 0, (width - side) / 2, (height - side) / 2,
                         size, size, side, side);
    int length = 0;
    void* png = gdImagePngPtrEx(thumb.get(), &length, 9);
    if (!png) {
        return std::nullopt;
    }
    std::string out(static_cast<const char*>(png), size_t(length));
    gdFree(png);
    return out;
}

}  // namespace clientele
