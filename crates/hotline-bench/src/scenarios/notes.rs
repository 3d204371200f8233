//! Call notes as agents write them, for `footprint`: each note a different
//! run of sentences from [`SENTENCES`], cut to 300 characters. A note made
//! by repeating one line would compress to a fraction of a real one's size
//! and flatter every measure of stored bytes.

/// Sentences of the kind agents type, in Vietnamese (a few without
/// diacritics, as some are typed).
const SENTENCES: [&str; 40] = [
    "Khách hàng gọi báo mất điện từ khoảng 5 giờ chiều, cả dãy nhà trọ bên cạnh cũng không có điện.",
    "Đã kiểm tra trên hệ thống, khu vực không có lịch cắt điện.",
    "Khách cho biết nghe tiếng nổ lớn ở trạm biến áp đầu hẻm.",
    "Đề nghị đội quản lý vận hành đến kiểm tra gấp, khách có con nhỏ và người già.",
    "Chị Lan phản ánh hóa đơn tháng 11 tăng gần gấp đôi so với tháng trước dù gia đình đi vắng 10 ngày.",
    "Đã giải thích cách tính giá bậc thang nhưng khách chưa đồng ý, yêu cầu kiểm tra lại chỉ số công tơ.",
    "Hẹn nhân viên đến đọc chỉ số và kiểm định công tơ trong 3 ngày làm việc.",
    "Anh Minh hỏi thủ tục cấp điện mới cho nhà xây ở ấp 3, xã Tân Phú.",
    "Đã hướng dẫn nộp hồ sơ trực tuyến gồm giấy tờ nhà đất và CCCD.",
    "Khách hỏi thời gian lắp công tơ, đã báo tối đa 4 ngày làm việc ở nông thôn sau khi đủ hồ sơ.",
    "Điện chập chờn, bóng đèn lúc sáng lúc tối, tủ lạnh tự tắt nhiều lần trong buổi tối.",
    "Khách nghi điện áp thấp vì mới có thêm nhiều hộ đấu nối.",
    "Đã ghi nhận và chuyển đội đo điện áp tại nhà khách, hẹn sáng mai.",
    "Số điện thoại liên hệ là của con trai khách, gọi sau 17 giờ.",
    "Ông Hùng phàn nàn nhân viên ghi chỉ số không đến nhà mà ước tính chỉ số.",
    "Thái độ nhân viên khi khách gọi lại thiếu lịch sự, khách rất bức xúc.",
    "Đã xin lỗi khách và ghi nhận khiếu nại, chuyển phòng kinh doanh xem xét.",
    "Khách yêu cầu được gọi lại báo kết quả trong tuần này.",
    "Cây đổ đè lên đường dây hạ thế trước số nhà 45 đường Nguyễn Trãi sau cơn mưa lớn, dây có tóe lửa.",
    "Đã khuyến cáo khách tránh xa khu vực, không tự xử lý.",
    "Chuyển khẩn đội sửa chữa điện, báo cả công an phường hỗ trợ phân luồng giao thông.",
    "Tra cứu thấy chỉ số tiêu thụ 420 kWh, tăng do dùng máy lạnh cả ngày.",
    "Hướng dẫn khách cách tiết kiệm điện và đăng ký nhận hóa đơn điện tử qua ứng dụng.",
    "Khách đồng ý với giải thích, không cần xử lý thêm.",
    "Mất điện một pha, nhà khách chỉ còn vài ổ cắm có điện, máy bơm nước không chạy được.",
    "Các nhà lân cận vẫn có điện bình thường.",
    "Nghi đứt dây pha sau công tơ hoặc hỏng aptomat tổng.",
    "Đã tạo phiếu sửa chữa, đội Bình Chánh nhận, dự kiến có mặt trong 1 giờ.",
    "Bà Tư đề nghị di dời trụ điện đang chắn lối vào cổng nhà mới xây.",
    "Đã hướng dẫn làm đơn đề nghị di dời kèm bản vẽ mặt bằng, chi phí do khách chịu theo quy định.",
    "Công tơ điện tử không hiển thị số, màn hình tắt từ hôm qua, trong nhà vẫn có điện.",
    "Chỉ số tháng này sẽ tính theo bình quân, đã giải thích cho khách.",
    "Khach bao den duong ca doan duong to 5 khu pho 2 khong sang 3 dem nay.",
    "Da chuyen doi quan ly den duong cua phuong xu ly.",
    "Khách muốn chuyển hợp đồng mua bán điện sang tên người mua nhà.",
    "Đã gửi danh sách giấy tờ cần thiết qua tin nhắn Zalo cho khách.",
    "Khách báo dây điện từ trụ vào nhà bị chùng, sát mái tôn, sợ chạm điện khi mưa.",
    "Lịch cắt điện ngày 12 đã đăng trên trang web nhưng khách không nhận được tin nhắn báo trước.",
    "Kiểm tra thấy số điện thoại đăng ký của khách là số cũ, đã cập nhật số mới.",
    "Khách phản ánh tiền điện bị thu hai lần qua ngân hàng, đã chuyển bộ phận thu ngân đối soát.",
];

/// A note of 300 characters: sentences picked by `seed`, none twice in a row.
pub fn note(seed: u64) -> String {
    let mut out = String::new();
    let mut x = seed | 1;
    let mut last = usize::MAX;
    while out.chars().count() < 300 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let i = (x % SENTENCES.len() as u64) as usize;
        if i == last {
            continue;
        }
        last = i;
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(SENTENCES[i]);
    }
    out.chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_300_characters_and_differ() {
        let a = note(1);
        let b = note(2);
        assert_eq!(a.chars().count(), 300);
        assert_eq!(b.chars().count(), 300);
        assert_ne!(a, b);
        assert!(
            a.len() > 380,
            "Vietnamese takes more bytes than characters: {}",
            a.len()
        );
    }
}
