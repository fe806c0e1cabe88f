// Uploaded images (customer avatars): the format told from the bytes, never from what the client
// says, the size read from the header before anything is decoded, and thumbnails through libgd.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clientele {

enum class ImageType { png, jpeg, webp };

struct ImageInfo {
    ImageType type;
    int width = 0;
    int height = 0;
};

//! The format and dimensions of a PNG, JPEG or WebP image from its header; nullopt for anything
//! else (or a header that does not hold together).
std::optional<ImageInfo> sniff_image(std::string_view bytes);

std::string_view mime_type(ImageType type);

//! The image decoded, cropped to a centred square and scaled to `size`×`size`, as PNG; nullopt
//! when the image does not decode.
std::optional<std::string> square_thumbnail_png(std::string_view bytes, ImageType type, int size);

}  // namespace clientele
